// How the simulated node prints a certificate for `show cert own` / `show cert trust`:
// the decoded fields in the layout of the real CLI (bracketed block of "Version: V3",
// "Serial Number: ...", "SignatureAlgorithm: ...", ... ; the exact field order and
// value spelling are ASSUMED), followed by the PEM block (printing it is ASSUMED).
#pragma once
#include <string>
#include <vector>

#include "reconciler/pki/certificate.h"

namespace pkiform::sim {

std::vector<std::string> DescribeCertificate(const pki::Certificate& cert);

}  // namespace pkiform::sim
