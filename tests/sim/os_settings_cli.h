// The simulated CLI of the OS Administration settings pkiform keeps (os_settings.h):
// Certificate Revocation / OCSP (rule U16) and the Certificate Monitor (rule U17).
// ASSUMED spelling (the real node sets these in its web pages; docs/platforms/ucm.md):
//   show ocsp
//   set ocsp enable | disable
//   set ocsp uri-source certificate | configured
//   set ocsp responder <http(s)-uri>
//   set ocsp interval <hours>                      (also enables the revocation check)
//   show cert-monitor
//   set cert-monitor notification-start <days>
//   set cert-monitor frequency <n> hours|days
//   set cert-monitor email <id>[;<id>...]          (also enables e-mail notification)
//   set cert-monitor email-notification enable | disable
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "tests/sim/appliance_state.h"

namespace pkiform::sim {

struct CliOutput {
  std::function<void(const std::string&)> line;    // one line of the answer
  std::function<void(const std::string&)> refuse;  // "Executed command unsuccessfully" + the message
};

// Runs the command when it is one of the above: `t` its words as typed, `w` the same in
// lower case. False when the command is none of these (the caller refuses it).
bool DispatchOsSettings(const Appliance& appliance, const std::vector<std::string>& t,
                        const std::vector<std::string>& w, const CliOutput& out);

}  // namespace pkiform::sim
