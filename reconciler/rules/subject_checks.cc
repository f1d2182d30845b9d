// Checks of the names a certificate will carry: wildcards (D3, V2), the CN
// (D4), forbidden subject characters (D6), the country table (D7), the
// cluster SANs (V1, V16) and the Unified Communications names (V6).
#include <cctype>

#include "reconciler/catalogue/country_table.h"
#include <algorithm>

#include "reconciler/rules/check_util.h"

namespace pkiform {
namespace {

using catalogue::Wildcards;

bool HasWildcard(const std::string& name) { return name.find('*') != std::string::npos; }

bool IsIpAddress(const std::string& s) {
  return s.find(':') != std::string::npos ||
         std::all_of(s.begin(), s.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.'; });
}

bool IsFqdn(const std::string& s) {
  if (s.empty() || IsIpAddress(s) || s.find('.') == std::string::npos || s.front() == '.' || s.front() == '-')
    return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-') return false;
  return true;
}

struct SubjectField {
  const char* short_name;  // as the catalogue names it (OU, O, L, ST, C)
  const char* key;         // as the manifest names it
  std::string DistinguishedNameSpec::*value;
};

const SubjectField kSubjectFields[] = {
    {"OU", "organizationalUnit", &DistinguishedNameSpec::organizational_unit},
    {"O", "organization", &DistinguishedNameSpec::organization},
    {"L", "locality", &DistinguishedNameSpec::locality},
    {"ST", "state", &DistinguishedNameSpec::state},
    {"C", "country", &DistinguishedNameSpec::country},
};

}  // namespace

void CheckWildcards(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p || p->limits.wildcards == Wildcards::kAllowed) continue;
    std::string rule = LimitRules(*p, "wildcards", c.platform == "dms" ? "D3" : "V2");
    if (HasWildcard(c.fqdn)) out.Error(c.at("fqdn"), "wildcard in the cluster FQDN '" + Excerpt(c.fqdn) + "'", rule);
    for (const auto& peer : c.peers)
      if (HasWildcard(peer.fqdn)) out.Error(peer.at("fqdn"), "wildcard in peer FQDN '" + Excerpt(peer.fqdn) + "'", rule);
    for (const auto& s : c.identity) {
      if (HasWildcard(s.subject.common_name))
        out.Error(s.subject.at("commonName"), "wildcard in subject CN '" + Excerpt(s.subject.common_name) + "': " + c.platform +
                                                  " refuses wildcard certificates", rule);
      if (p->limits.wildcards != Wildcards::kRefused) continue;
      for (size_t i = 0; i < s.extra_dns_names.size(); ++i)
        if (HasWildcard(s.extra_dns_names[i]))
          out.Error(s.at("extraDnsNames[" + std::to_string(i) + "]"),
                    "wildcard SAN '" + Excerpt(s.extra_dns_names[i]) + "': " + c.platform + " refuses wildcard certificates", rule);
    }
  }
}

void CheckSubjectCharacters(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p) continue;
    for (const auto& s : c.identity) {
      const DistinguishedNameSpec& dn = s.subject;
      if (p->limits.require_cn && dn.fields.count("commonName") && dn.common_name.empty())
        out.Error(dn.at("commonName"), "the subject must contain a CN; leave commonName out to use the peer FQDN",
                  LimitRules(*p, "requireCn", "D4"));
      const std::string& forbidden = p->limits.forbidden_subject_characters;
      if (forbidden.empty()) continue;
      for (const auto& f : kSubjectFields) {
        const auto& in = p->limits.forbidden_in_fields;
        if (!in.empty() && std::find(in.begin(), in.end(), f.short_name) == in.end()) continue;
        const std::string& value = dn.*f.value;
        size_t bad = value.find_first_of(forbidden);
        if (bad == std::string::npos) continue;
        std::string shown = value[bad] == '\'' ? std::string("\"'\"") : "'" + std::string(1, value[bad]) + "'";
        out.Error(dn.at(f.key), std::string("subject ") + f.key + " contains " + shown + ", which " + c.platform +
                                    " refuses; avoid any of: " + forbidden,
                  LimitRules(*p, "forbiddenCharacters", "D6"));
      }
    }
  }
}

void CheckCountry(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    const auto* p = PlatformOf(ctx, c);
    if (!p || !p->limits.country_from_iana_table) continue;
    std::string rule = LimitRules(*p, "countryTable", "D7");
    for (const auto& s : c.identity) {
      const std::string& code = s.subject.country;
      if (code.empty()) continue;
      auto entry = catalogue::LookupCountry(code);
      if (!entry) {
        bool lower = std::any_of(code.begin(), code.end(), [](char ch) { return std::islower(static_cast<unsigned char>(ch)); });
        out.Error(s.subject.at("country"), "country '" + Excerpt(code) + "' is not in the IANA country code table" +
                                               (lower ? "; codes are upper case" : ""), rule);
      } else if (entry->iana_only) {
        std::string msg = "country '" + code + "' (" + entry->name + ") is an IANA-only code, not ISO 3166-1";
        if (!entry->prefer.empty()) msg += "; most CAs expect " + entry->prefer + ", not " + code;
        out.Warning(s.subject.at("country"), msg, rule);
      }
    }
  }
}

void CheckClusterSans(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters) {
    if (c.platform != "vcs") continue;
    for (const auto& s : c.identity) {
      // V1: a shared certificate must name every peer; the CN override would hide them.
      if (s.sans == "shared" && !s.subject.common_name.empty() && s.subject.common_name != c.fqdn)
        out.Error(s.subject.at("commonName"), "a certificate shared by the cluster has the cluster FQDN '" + Excerpt(c.fqdn) +
                                                  "' as CN, not '" + Excerpt(s.subject.common_name) + "'", "V1");
      bool overrides_peer = std::any_of(c.peers.begin(), c.peers.end(),
                                        [&](const Peer& p) { return p.fqdn != s.subject.common_name; });
      if (s.sans == "per-peer" && !s.subject.common_name.empty() && overrides_peer)
        out.Error(s.subject.at("commonName"), "with a certificate per peer, each CN is the peer's FQDN; remove commonName",
                  "V1");
    }
    // V16: TLS verify mode addresses peers by a name that is in their certificate.
    for (const auto& peer : c.peers) {
      if (peer.address.empty() || !IsFqdn(peer.address) || peer.address == peer.fqdn) continue;
      bool named = false;
      for (const auto& s : c.identity) {
        auto names = CertificateNames(c, s, peer);
        named = named || std::find(names.begin(), names.end(), peer.address) != names.end();
      }
      if (!named)
        out.Warning(peer.at("address"), "peer is addressed as '" + Excerpt(peer.address) +
                                            "', a name its certificate will not carry; TLS verify mode needs the FQDN "
                                            "in the CN or SANs", "V16");
    }
  }
}

void CheckUnifiedCommunications(const CheckContext& ctx, DiagnosticList& out) {
  for (const auto& c : ctx.desired().clusters)
    for (const auto& s : c.identity) {
      if (!s.unified_communications) continue;
      const auto& uc = *s.unified_communications;
      for (size_t i = 0; i < uc.phone_security_profiles.size(); ++i)
        if (!IsFqdn(uc.phone_security_profiles[i]))
          out.Error(uc.at("phoneSecurityProfiles[" + std::to_string(i) + "]"),
                    "phone security profile '" + Excerpt(uc.phone_security_profiles[i]) +
                        "' must be given in FQDN format to be carried as a SAN", "V6");
      auto wildcard = [&](const std::vector<std::string>& names, const std::string& key) {
        for (size_t i = 0; i < names.size(); ++i)
          if (HasWildcard(names[i]))
            out.Error(uc.at(key + "[" + std::to_string(i) + "]"), "wildcard '" + Excerpt(names[i]) + "' in " + key, "V2");
      };
      wildcard(uc.chat_node_aliases, "chatNodeAliases");
      wildcard(uc.domains, "domains");
    }
}

}  // namespace pkiform
