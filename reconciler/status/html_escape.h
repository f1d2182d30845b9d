// Text for HTML: every value of the status page (status_html.h) comes from
// appliances, manifests or web servers and passes through here, in element
// content and in double-quoted attributes alike.
#pragma once

#include <string>
#include <string_view>

namespace pkiform::status {

// & < > " ' as entities; control bytes other than tab and newline, and invalid UTF-8,
// as U+FFFD, so that the page stays well-formed whatever the input held.
std::string HtmlEscape(std::string_view text);

}  // namespace pkiform::status
