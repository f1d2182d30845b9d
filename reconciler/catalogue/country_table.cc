// Loading and lookup of the IANA country code table (country_table.h).
#include "reconciler/catalogue/country_table.h"

#include <cctype>
#include <set>

#include "reconciler/catalogue/strict_yaml.h"
#include "reconciler/util/embedded.h"

namespace pkiform::catalogue {

const CountryEntry* CountryTable::Find(std::string_view code) const {
  for (const auto& e : entries)
    if (e.code == code) return &e;
  return nullptr;
}

Result<CountryTable> ParseCountryTable(std::string_view file, std::string_view text) {
  strict::Errors errors{std::string(file)};
  std::optional<YAML::Node> document = strict::LoadDocument(text, errors);
  if (!document) return errors.status();
  const YAML::Node& root = *document;
  CountryTable table;
  strict::Map m(errors, root, "");
  table.source = m.String("source");
  std::set<std::string> seen;
  strict::ForEach(
      errors, m.Child("countries"), "countries", [&](const YAML::Node& n, const std::string& path) {
        strict::Map c(errors, n, path);
        CountryEntry e;
        e.code = c.String("code");
        e.name = c.String("name");
        e.iana_only = c.Bool("ianaOnly", false);
        e.basis = c.Choice("basis", {"document", "rule D7", "ISO 3166/MA"}, "none");
        e.prefer = c.String("prefer", "");
        e.note = c.String("note", "");
        c.Finish();
        const bool two_upper = e.code.size() == 2 && std::isupper(static_cast<unsigned char>(e.code[0])) &&
                               std::isupper(static_cast<unsigned char>(e.code[1]));
        if (!two_upper) errors.Add(n, path + ".code", "'" + e.code + "' is not two upper-case letters");
        if (!seen.insert(e.code).second) errors.Add(n, path + ".code", "'" + e.code + "' is listed twice");
        if (e.iana_only != (e.basis != "none"))
          errors.Add(n, path + ".basis", "basis is required exactly when ianaOnly is true");
        if (e.basis == "none") e.basis.clear();
        table.entries.push_back(std::move(e));
      });
  m.Finish();
  for (size_t i = 0; i < table.entries.size() && !errors.failed(); ++i) {
    const auto& e = table.entries[i];
    if (!e.prefer.empty() && (!table.Find(e.prefer) || table.Find(e.prefer)->iana_only))
      errors.Add(root["countries"][i], "countries[" + std::to_string(i) + "].prefer",
                 "'" + e.prefer + "' is not an ISO code of the table");
  }
  if (errors.failed()) return errors.status();
  return table;
}

const Result<CountryTable>& BuiltinCountryTable() {
  static const Result<CountryTable> kTable = []() -> Result<CountryTable> {
    constexpr std::string_view kFile = "schema/countries.yaml";
    auto text = EmbeddedFile(kFile);
    if (!text) return Status::NotFound(std::string(kFile) + " is not embedded");
    return ParseCountryTable(kFile, *text);
  }();
  return kTable;
}

std::optional<CountryEntry> LookupCountry(std::string_view code) {
  const auto& table = BuiltinCountryTable();
  if (!table.ok()) return std::nullopt;
  const CountryEntry* e = table->Find(code);
  if (!e) return std::nullopt;
  return *e;
}

}  // namespace pkiform::catalogue
