// The IANA country and region code table of the DMS document (seed 000, Table 1), used
// for the subject C field (rule D7). Data: schema/countries.yaml, embedded in the binary.
//
// A code can be in the table and still be refused by most CAs: `iana_only` marks codes
// that are not assigned ISO 3166-1 alpha-2 codes (UK, EU, AC, FX, phased-out ones), and
// `prefer` names the code a CA most likely expects ("GB" for "UK") so that a validator
// can warn instead of letting the CA reject the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/util/result.h"

namespace pkiform::catalogue {

struct CountryEntry {
  std::string code;  // "GB", exactly as printed
  std::string name;  // "United Kingdom of Great Britain and Northern Ireland"
  bool iana_only = false;
  std::string basis;   // where iana_only comes from: "document", "rule D7", "ISO 3166/MA"
  std::string prefer;  // the ISO code a CA most likely expects instead ("GB"); may be empty
  std::string note;    // the table's note for the row, or why it is flagged
};

struct CountryTable {
  std::string source;
  std::vector<CountryEntry> entries;  // in the table's order
  // Exact, case-sensitive match: certificate country codes are upper case.
  const CountryEntry* Find(std::string_view code) const;
};

Result<CountryTable> ParseCountryTable(std::string_view file, std::string_view text);
// schema/countries.yaml, parsed once.
const Result<CountryTable>& BuiltinCountryTable();
// The built-in table's entry for `code`; nullopt when the code is not in the table (or the
// embedded table failed to load, which BuiltinCountryTable() reports).
std::optional<CountryEntry> LookupCountry(std::string_view code);

}  // namespace pkiform::catalogue
