// `pkiform status --html FILE`: one self-contained page. No script, no external
// style sheet, font, image or CDN; a Content-Security-Policy meta forbids them all
// but the inline style, so that a page with a hostile value in it still loads
// nothing. It holds the expiry timeline (timeline_svg.h), a table per cluster
// (identities and trust entries, with days left and whether they are in sync),
// and the CRLs' freshness (peers' and distribution points'). Every value is
// HTML-escaped (html_escape.h).
#pragma once

#include <string>

#include "reconciler/status/fleet_status.h"

namespace pkiform::status {

inline constexpr const char* kStatusPageCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; script-src 'none'; "
    "connect-src 'none'; base-uri 'none'; form-action 'none'";

std::string RenderStatusHtml(const FleetStatus& fs);

}  // namespace pkiform::status
