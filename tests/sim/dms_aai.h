// The Appliance Administration Interface (AAI) of a simulated DMS Show and Share appliance:
// the admin account's full-screen menus, forms and message boxes of the seed's certificate
// procedures (docs/platforms/dms.md, "AAI contract"), drawn by the screen engine of
// dms_screen.h. `pkiform-sim shell` runs RunDmsSession for a dms appliance.
#pragma once
#include <filesystem>
#include <string>

namespace pkiform::sim {

class DmsAppliance;

// `execCommand` is SSH_ORIGINAL_COMMAND: an exec request is refused (the AAI is
// interactive only, ASSUMED). Otherwise the AAI on stdin/stdout. Returns the exit code.
int RunDmsSession(const std::filesystem::path& dir, const std::string& execCommand);

// The AAI on `inFd` / `outFd` until EXIT (0) or the end of input (0).
int RunDmsAai(const DmsAppliance& appliance, int inFd, int outFd);

}  // namespace pkiform::sim
