// Before/after lines (describe.h).
#include "reconciler/planner/describe.h"

#include <algorithm>

namespace pkiform::planner {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string Sans(std::vector<std::string> dns, const std::vector<std::string>& ips) {
  for (const auto& ip : ips) dns.push_back("IP " + ip);
  return dns.empty() ? "(none)" : Join(dns);
}

}  // namespace

std::vector<std::string> DescribeCertificate(const pki::Certificate& c) {
  return {
      "subject: " + c.Subject().ToString(),
      "SANs: " + Sans(c.DnsNames(), c.IpAddresses()),
      "key: " + c.Key().ToString(),
      "issuer: " + c.Issuer().ToString(),
      "not after: " + pki::FormatDate(c.NotAfter()),
      "fingerprint: " + c.FingerprintSha256(),
  };
}

std::vector<std::string> DescribeCaCertificate(const pki::Certificate& c) {
  return {
      "subject: " + c.Subject().ToString(),
      "issuer: " + c.Issuer().ToString(),
      "not after: " + pki::FormatDate(c.NotAfter()),
      "fingerprint: " + c.FingerprintSha256(),
  };
}

std::vector<std::string> DescribeDesired(const SlotInput& in) {
  std::vector<std::string> lines = {
      "subject: " + in.expected_subject.ToString(),
      "SANs: " + Sans(in.expected_dns_names, in.expected_ip_addresses),
      "key: " + in.expected_key.ToString(),
  };
  if (in.issuer_kind == Issuer::Kind::kSelfSigned)
    lines.push_back("issuer: self-signed");
  else if (in.issuer_certificates.empty())
    lines.push_back("issuer: " + in.issuer_name);
  else
    lines.push_back("issuer: " + in.issuer_name + " (" + in.issuer_certificates.front().Subject().ToString() + ")");
  if (in.duration.length.count() > 0) {
    pki::TimePoint not_after = in.now + in.duration.length;
    // A local CA caps what it signs at its own expiry (signer.h).
    if (in.issuer_kind == Issuer::Kind::kCa && !in.issuer_certificates.empty())
      not_after = std::min(not_after, in.issuer_certificates.front().NotAfter());
    lines.push_back("not after: " + pki::FormatDate(not_after));
  }
  lines.push_back("fingerprint: (known after apply)");
  return lines;
}

}  // namespace pkiform::planner
