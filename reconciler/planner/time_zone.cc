#include "reconciler/planner/time_zone.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "reconciler/util/excerpt.h"
#include "reconciler/util/file_reader.h"
#include "reconciler/util/input_limits.h"
#include "reconciler/util/spelling.h"

namespace pkiform::planner {
namespace {

namespace chr = std::chrono;

// Bounds on what a TZif file may declare: the largest real zones have a few hundred
// transitions and a dozen types; anything past these is not tzdata.
constexpr uint32_t kMaxTransitions = 5000;
constexpr uint32_t kMaxTypes = 256;
constexpr uint32_t kMaxChars = 1024;
constexpr uint32_t kMaxLeapOrFlags = 1000;
// RFC 8536: an offset SHOULD be more than -25 h and less than 26 h; anything at or past 26 h
// either way is refused (fuzz_window found exactly 26 h accepted by a `>` where `>=` belonged).
constexpr int32_t kMaxOffset = 26 * 3600;

// A forward-only reader over bytes that refuses to step past the end.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  bool Take(size_t n, std::string_view* out = nullptr) {
    if (n > data_.size() - pos_) return false;
    if (out) *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool U32(uint32_t* out) {
    std::string_view b;
    if (!Take(4, &b)) return false;
    *out = 0;
    for (unsigned char c : b) *out = (*out << 8) | c;
    return true;
  }
  bool I64(int64_t* out) {
    std::string_view b;
    if (!Take(8, &b)) return false;
    uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    *out = static_cast<int64_t>(v);
    return true;
  }
  std::string_view Rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

struct Header {
  char version = 0;
  uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

Result<Header> ReadHeader(Bytes& in) {
  std::string_view magic, version;
  if (!in.Take(4, &magic) || magic != "TZif" || !in.Take(1, &version) || !in.Take(15))
    return Status::InvalidInput("not a TZif file");
  Header h;
  h.version = version[0];
  if (!in.U32(&h.isutcnt) || !in.U32(&h.isstdcnt) || !in.U32(&h.leapcnt) || !in.U32(&h.timecnt) ||
      !in.U32(&h.typecnt) || !in.U32(&h.charcnt))
    return Status::InvalidInput("TZif header cut short");
  if (h.timecnt > kMaxTransitions || h.typecnt == 0 || h.typecnt > kMaxTypes || h.charcnt > kMaxChars ||
      h.leapcnt > kMaxLeapOrFlags || h.isutcnt > kMaxLeapOrFlags || h.isstdcnt > kMaxLeapOrFlags)
    return Status::InvalidInput("TZif header counts out of range");
  return h;
}

// ---- POSIX TZ rules (the TZif footer) ----

class RuleText {
 public:
  explicit RuleText(std::string_view s) : s_(s) {}
  bool Done() const { return pos_ == s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[pos_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // A zone abbreviation: 3+ letters, or <...> quoted (digits and signs allowed).
  bool Name() {
    size_t start = pos_;
    if (Eat('<')) {
      while (!Done() && (std::isalnum(static_cast<unsigned char>(Peek())) || Peek() == '+' || Peek() == '-')) ++pos_;
      return pos_ - start >= 4 && Eat('>');
    }
    while (!Done() && std::isalpha(static_cast<unsigned char>(Peek()))) ++pos_;
    return pos_ - start >= 3;
  }
  bool Number(int max, int* out) {
    size_t start = pos_;
    int v = 0;
    while (!Done() && std::isdigit(static_cast<unsigned char>(Peek())) && pos_ - start < 3) v = v * 10 + (s_[pos_++] - '0');
    *out = v;
    return pos_ > start && v <= max;
  }
  // [+-]hh[:mm[:ss]], hours up to `max_hours` (RFC 8536 allows 167 in rule times).
  bool Time(int max_hours, int32_t* out) {
    int sign = 1;
    if (Eat('-')) sign = -1;
    else Eat('+');
    int h = 0, m = 0, sec = 0;
    if (!Number(max_hours, &h)) return false;
    if (Eat(':')) {
      if (!Number(59, &m)) return false;
      if (Eat(':') && !Number(59, &sec)) return false;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool Date(TimeZone::Rule::Date* d) {
    if (Eat('M')) {
      d->kind = 'M';
      if (!Number(12, &d->month) || d->month < 1 || !Eat('.') || !Number(5, &d->week) || d->week < 1 || !Eat('.') ||
          !Number(6, &d->day))
        return false;
    } else if (Eat('J')) {
      d->kind = 'J';
      if (!Number(365, &d->day) || d->day < 1) return false;
    } else {
      d->kind = 'D';
      if (!Number(365, &d->day)) return false;
    }
    d->time = 7200;
    return !Eat('/') || Time(167, &d->time);
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// The UTC instant of a rule date in `year`, its time read on a clock `offset` east of UTC.
int64_t RuleInstant(const TimeZone::Rule::Date& d, int year, int32_t offset) {
  const chr::year y{year};
  chr::sys_days day;
  if (d.kind == 'M') {
    const chr::month m{unsigned(d.month)};
    const chr::weekday wd{unsigned(d.day)};
    day = d.week == 5 ? chr::sys_days(y / m / wd[chr::last]) : chr::sys_days(y / m / wd[unsigned(d.week)]);
  } else {
    int n = d.day;  // 'D': zero-based, leap day counted
    if (d.kind == 'J') n = d.day - 1 + (y.is_leap() && d.day >= 60 ? 1 : 0);
    day = chr::sys_days(y / chr::January / 1) + chr::days(n);
  }
  return day.time_since_epoch().count() * 86400LL + d.time - offset;
}

// " (did you mean 'Europe/London'?)" for a zone spelt nearly like one in the same folder of
// `root`, else "". The folder is the system's; its listing is bounded all the same.
std::string ZoneSuggestion(const std::string& name, const std::string& root) {
  const size_t slash = name.rfind('/');
  const std::string folder = slash == std::string::npos ? "" : name.substr(0, slash + 1);
  std::vector<std::string> candidates;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(root + "/" + folder, ec);
       !ec && it != std::filesystem::directory_iterator() && candidates.size() < 2000; it.increment(ec)) {
    const std::string entry = folder + it->path().filename().string();
    if (IsZoneName(entry) && it->is_regular_file(ec)) candidates.push_back(entry);
  }
  const std::string match = ClosestMatch(name, candidates);
  return match.empty() ? "" : " (did you mean '" + match + "'?)";
}

int CivilYear(int64_t seconds) {
  const chr::sys_days day{chr::days(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)};
  return int(chr::year_month_day(day).year());
}

}  // namespace

bool IsZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  char prev = '/';
  for (char c : name) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok || (c == '/' && prev == '/')) return false;
    // A part starts with a letter, so no part is "-x" (an option) or a number.
    if (prev == '/' && !std::isalpha(static_cast<unsigned char>(c))) return false;
    prev = c;
  }
  return true;
}

Result<TimeZone::Rule> TimeZone::ParseRule(std::string_view text) {
  const Status bad = Status::InvalidInput("TZif footer '" + Excerpt(text) + "' is not a POSIX TZ rule");
  Rule r;
  RuleText in(text);
  int32_t posix = 0;
  if (!in.Name() || !in.Time(24, &posix)) return bad;
  r.std_offset = -posix;  // POSIX counts west of UTC as positive
  if (in.Done()) return r;
  if (!in.Name()) return bad;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (in.Peek() != ',') {
    if (!in.Time(24, &posix)) return bad;
    r.dst_offset = -posix;
  }
  // Without a rule, when daylight time starts is implementation-defined: refuse rather than guess.
  if (!in.Eat(',') || !in.Date(&r.start) || !in.Eat(',') || !in.Date(&r.end) || !in.Done()) return bad;
  if (std::abs(r.std_offset) >= kMaxOffset || std::abs(r.dst_offset) >= kMaxOffset) return bad;
  return r;
}

Result<TimeZone> TimeZone::FromTzif(std::string_view name, std::string_view data) {
  const std::string where = "time zone file of '" + Excerpt(name) + "': ";
  Bytes in(data);
  Result<Header> v1 = ReadHeader(in);
  if (!v1.ok()) return v1.status().WithContext("time zone file of '" + Excerpt(name) + "'");
  if (v1->version < '2')
    return Status::InvalidInput(where + "TZif version 1 has no 64-bit times and no rule for later years; "
                                        "install a current tzdata");
  // Skip the version 1 block (32-bit times): version 2+ repeats everything with 64-bit times.
  const uint64_t v1_bytes = uint64_t(v1->timecnt) * 5 + uint64_t(v1->typecnt) * 6 + v1->charcnt +
                            uint64_t(v1->leapcnt) * 8 + v1->isstdcnt + v1->isutcnt;
  if (!in.Take(v1_bytes)) return Status::InvalidInput(where + "cut short");
  Result<Header> h = ReadHeader(in);
  if (!h.ok()) return h.status().WithContext("time zone file of '" + Excerpt(name) + "'");
  // Leap-second zones ("right/...") count seconds POSIX time does not: refused, not misread.
  if (h->leapcnt != 0) return Status::InvalidInput(where + "holds leap seconds (a \"right/\" zone); use the plain zone");

  TimeZone z;
  z.name_ = std::string(name);
  z.transitions_.resize(h->timecnt);
  for (auto& t : z.transitions_)
    if (!in.I64(&t)) return Status::InvalidInput(where + "cut short");
  if (!std::is_sorted(z.transitions_.begin(), z.transitions_.end()) ||
      std::adjacent_find(z.transitions_.begin(), z.transitions_.end()) != z.transitions_.end())
    return Status::InvalidInput(where + "transition times are not ascending");
  std::string_view idx;
  if (!in.Take(h->timecnt, &idx)) return Status::InvalidInput(where + "cut short");
  for (unsigned char i : idx) {
    if (i >= h->typecnt) return Status::InvalidInput(where + "a transition names a type that does not exist");
    z.type_of_.push_back(i);
  }
  for (uint32_t i = 0; i < h->typecnt; ++i) {
    uint32_t off = 0;
    std::string_view rest;
    if (!in.U32(&off) || !in.Take(2, &rest)) return Status::InvalidInput(where + "cut short");
    const int32_t offset = static_cast<int32_t>(off);
    if (offset >= kMaxOffset || offset <= -kMaxOffset) return Status::InvalidInput(where + "UTC offset out of range");
    z.offsets_.push_back(offset);
  }
  if (!in.Take(uint64_t(h->charcnt) + h->isstdcnt + h->isutcnt)) return Status::InvalidInput(where + "cut short");
  // The footer: "\n" TZ "\n"; empty when the zone has no rule past its last transition.
  std::string_view footer = in.Rest();
  if (footer.size() < 2 || footer.front() != '\n') return Status::InvalidInput(where + "has no footer");
  const size_t end = footer.find('\n', 1);
  if (end == std::string_view::npos || end > 256) return Status::InvalidInput(where + "footer not terminated");
  footer = footer.substr(1, end - 1);
  if (!footer.empty()) {
    Result<Rule> rule = ParseRule(footer);
    if (!rule.ok()) return rule.status().WithContext(where.substr(0, where.size() - 2));
    z.rule_ = *rule;
    z.has_rule_ = true;
  }
  return z;
}

int32_t TimeZone::OffsetAt(int64_t t) const {
  if (!transitions_.empty() && t < transitions_.back()) {
    // RFC 8536: before the first transition, type 0.
    if (t < transitions_.front()) return offsets_[0];
    const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
    return offsets_[type_of_[size_t(it - transitions_.begin()) - 1]];
  }
  if (!has_rule_) return transitions_.empty() ? (offsets_.empty() ? 0 : offsets_[0]) : offsets_[type_of_.back()];
  if (!rule_.has_dst) return rule_.std_offset;
  // The year as the standard-time clock reads it; start is read on standard time, end on daylight time.
  const int year = CivilYear(t + rule_.std_offset);
  const int64_t start = RuleInstant(rule_.start, year, rule_.std_offset);
  const int64_t end = RuleInstant(rule_.end, year, rule_.dst_offset);
  const bool dst = start < end ? (t >= start && t < end) : (t < end || t >= start);  // southern: DST spans new year
  return dst ? rule_.dst_offset : rule_.std_offset;
}

int64_t TimeZone::NextChange(int64_t t) const {
  if (!transitions_.empty() && t < transitions_.back())
    return *std::upper_bound(transitions_.begin(), transitions_.end(), t);
  if (!has_rule_ || !rule_.has_dst) return INT64_MAX;
  int64_t next = INT64_MAX;
  const int year = CivilYear(t);
  for (int y = year - 1; y <= year + 1; ++y)
    for (int64_t change : {RuleInstant(rule_.start, y, rule_.std_offset), RuleInstant(rule_.end, y, rule_.dst_offset)})
      if (change > t) next = std::min(next, change);
  return next;
}

Result<TimeZone> LoadTimeZone(const std::string& name, const std::string& root) {
  if (name == "UTC") return TimeZone();
  if (!IsZoneName(name))
    return Status::InvalidInput("'" + Excerpt(name) +
                                "' is not a time zone name: write an IANA name such as 'Europe/London' or 'UTC'");
  const std::string path = root + "/" + name;
  Result<std::string> data = ReadBoundedFile(path, limits::kZoneFile);
  if (!data.ok()) {
    if (data.status().code() == Status::Code::kNotFound)
      return Status::NotFound("unknown time zone '" + Excerpt(name) + "'" + ZoneSuggestion(name, root) + ": " +
                              path + " does not exist (names are IANA's, e.g. 'Europe/London'; Debian's tzdata "
                              "package provides them)");
    return data.status().WithContext("time zone '" + Excerpt(name) + "' (" + path + ")");
  }
  return TimeZone::FromTzif(name, *data);
}

}  // namespace pkiform::planner
