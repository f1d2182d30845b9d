// UcmProvider: the node settings of the catalogue (schema/platforms/ucm.yaml `settings`),
// OCSP (rule U16) and the certificate monitor (rule U17). Read in Observe, set by
// ApplySetting. The commands, field names and words are the dialect's (`settings:` in
// schema/dialects/ucm-cli.yaml; ASSUMED CLI, docs/platforms/ucm.md). Values are spelled
// as the planner spells the manifest's (planner/settings_change.h): "true"/"false",
// durations "30d"/"12h", e-mail addresses joined by ",", so that a node that matches the
// manifest plans no change. The node's answers are untrusted: each field is looked up by
// its exact name, bounded, and must parse, or the observation fails naming the field.
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "providers/cli/terminal_text.h"
#include "providers/ucm/ucm_provider.h"
#include "reconciler/manifest/duration.h"
#include "reconciler/planner/settings_change.h"
#include "reconciler/util/excerpt.h"

namespace pkiform::ucm {
namespace {

constexpr size_t kMaxFieldValue = 2048;   // an OCSP URI or a list of e-mail IDs, with room
constexpr long long kMaxCount = 100000;   // hours or days a node may print
constexpr size_t kMaxEmailIds = 32;

std::string Trim(std::string_view s) { return std::string(cli::TrimBlanks(s)); }

// The "<field> : <value>" lines of a `show` answer; the first line naming a field wins.
std::map<std::string, std::string> Fields(std::string_view text) {
  std::map<std::string, std::string> out;
  for (const auto& line : cli::Lines(text)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = Trim(std::string_view(line).substr(0, colon));
    if (name.empty() || name.size() > 128) continue;
    out.emplace(std::move(name), Trim(std::string_view(line).substr(colon + 1)));
  }
  return out;
}

class Answer {
 public:
  Answer(std::string command, std::string_view text) : command_(std::move(command)), fields_(Fields(text)) {}

  Result<std::string> Text(const std::string& field) const {
    auto it = fields_.find(field);
    if (it == fields_.end()) return Bad(field, "is missing");
    if (it->second.size() > kMaxFieldValue) return Bad(field, "is too long");
    for (unsigned char c : it->second)
      if (c < 0x20 || c == 0x7f) return Bad(field, "holds control characters");
    return it->second;
  }

  Result<bool> Flag(const std::string& field, const SettingsDialect& d) const {
    auto v = Text(field);
    if (!v.ok()) return v.status();
    if (*v == d.enabled_word) return true;
    if (*v == d.disabled_word) return false;
    return Bad(field, "is '" + Excerpt(*v, 40) + "', neither " + d.enabled_word + " nor " + d.disabled_word);
  }

  // "<n> hours" / "<n> days" (the units `units` allows) as seconds.
  Result<std::chrono::seconds> Span(const std::string& field, const SettingsDialect& d,
                                    const std::vector<std::string>& units) const {
    auto v = Text(field);
    if (!v.ok()) return v.status();
    const size_t space = v->find(' ');
    const std::string number = v->substr(0, space), unit = space == std::string::npos ? "" : Trim(v->substr(space));
    long long n = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    const bool known = std::find(units.begin(), units.end(), unit) != units.end();
    if (ec != std::errc() || ptr != number.data() + number.size() || n < 1 || n > kMaxCount || !known)
      return Bad(field, "is '" + Excerpt(*v, 40) + "', not a count of " + units.front() +
                            (units.size() > 1 ? " or " + units.back() : ""));
    return std::chrono::seconds(n * (unit == d.days_word ? 86400 : 3600));
  }

 private:
  Status Bad(const std::string& field, const std::string& why) const {
    return Status::Failed("the answer to \"" + command_ + "\": field \"" + field + "\" " + why);
  }
  std::string command_;
  std::map<std::string, std::string> fields_;
};

std::string Bool(bool b) { return b ? "true" : "false"; }

// A word the CLI line can carry as one argument: printable, no space, no quote.
bool PlainWord(const std::string& s) {
  return !s.empty() && s.size() <= kMaxFieldValue && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '\\';
  });
}

// A duration value of the planner ("30d", "12h") as a whole number of `unit` seconds.
std::optional<long long> WholeUnits(const std::string& value, long long unit) {
  auto d = ParseDuration(value);
  if (!d || d->length.count() <= 0 || d->length.count() % unit != 0) return std::nullopt;
  return d->length.count() / unit;
}

}  // namespace

std::vector<std::string> UcmProvider::SettingsReads() const {
  std::vector<std::string> reads;
  if (cluster_.revocation && cluster_.revocation->ocsp) reads.push_back(dialect_->settings.ocsp_show);
  if (cluster_.monitor) reads.push_back(dialect_->settings.monitor_show);
  return reads;
}

Status UcmProvider::ObserveSettings(CliSession& cli, NodeObservation& o) {
  const SettingsDialect& d = dialect_->settings;
  const bool ocsp = cluster_.revocation && cluster_.revocation->ocsp;
  if (ocsp) {
    auto out = cli.Run(d.ocsp_show);
    if (!out.ok()) return out.status();
    Answer a(d.ocsp_show, *out);
    auto enabled = a.Flag(d.field_ocsp_enabled, d);
    auto source = a.Text(d.field_uri_source);
    auto uri = a.Text(d.field_configured_uri);
    auto check = a.Flag(d.field_revocation_check, d);
    auto every = a.Span(d.field_check_every, d, {d.hours_word});
    auto cc = a.Flag(d.field_common_criteria, d);
    for (const Status* s : {&enabled.status(), &source.status(), &uri.status(), &check.status(), &every.status(),
                            &cc.status()})
      if (!s->ok()) return *s;
    if (*source != d.uri_from_certificate && *source != d.uri_configured)
      return Status::Failed("the answer to \"" + d.ocsp_show + "\": field \"" + d.field_uri_source + "\" is '" +
                            Excerpt(*source, 60) + "', neither '" + d.uri_from_certificate + "' nor '" +
                            d.uri_configured + "'");
    auto& s = o.actual.settings;
    s["ocsp.enabled"] = Bool(*enabled);
    s["ocsp.useCertificateUri"] = Bool(*source == d.uri_from_certificate);
    s["ocsp.responder"] = *uri;
    // The interval counts only while the revocation check is on; off, it is not reported
    // (the plan then sets it, which turns the check on).
    if (*check) s["ocsp.checkInterval"] = planner::SettingDurationText(*every);
    // rule U16: in Common Criteria mode an OCSP answer Unknown fails the connection.
    const auto& m = *cluster_.revocation->ocsp;
    if (*cc && m.enabled.value_or(*enabled))
      o.actual.notes.push_back(
          "warning: " + peer_.fqdn + " is in Common Criteria mode: with OCSP enabled, a certificate the responder "
          "answers Unknown for fails its connection, as a revoked one does (U16); make sure the responder knows "
          "every certificate the node checks");
  }
  if (cluster_.monitor) {
    auto out = cli.Run(d.monitor_show);
    if (!out.ok()) return out.status();
    Answer a(d.monitor_show, *out);
    auto before = a.Span(d.field_notify_before, d, {d.days_word});
    auto frequency = a.Span(d.field_frequency, d, {d.hours_word, d.days_word});
    auto email = a.Flag(d.field_email_notification, d);
    auto ids = a.Text(d.field_email_ids);
    for (const Status* s : {&before.status(), &frequency.status(), &email.status(), &ids.status()})
      if (!s->ok()) return *s;
    auto& s = o.actual.settings;
    s["certificateMonitor.notifyBefore"] = planner::SettingDurationText(*before);
    s["certificateMonitor.frequency"] = planner::SettingDurationText(*frequency);
    // rule U17: e-mail goes out only with notification enabled; the IDs are then the list.
    std::string joined;
    if (*email) {
      size_t start = 0, count = 0;
      const char sep = d.email_separator.front();
      while (start <= ids->size()) {
        size_t end = ids->find(sep, start);
        if (end == std::string::npos) end = ids->size();
        std::string id = Trim(std::string_view(*ids).substr(start, end - start));
        if (!id.empty()) {
          if (++count > kMaxEmailIds)
            return Status::Failed("the answer to \"" + d.monitor_show + "\": more than " +
                                  std::to_string(kMaxEmailIds) + " e-mail IDs");
          joined += (joined.empty() ? "" : ",") + id;
        }
        start = end + 1;
      }
    }
    s["certificateMonitor.email"] = joined;
  }
  return Status::Ok();
}

Status UcmProvider::SendSetting(CliSession& cli, const CommandText& command,
                                const std::map<std::string, std::string>& values, const std::string& subject) {
  auto line = Fill(command.send, values);
  if (!line.ok()) return Fail(subject, "set", line.status());
  auto out = cli.Run(*line, std::chrono::seconds(dialect_->command_seconds), command.questions, command.success);
  if (!out.ok()) return Fail(subject, "set", out.status());
  return Status::Ok();
}

Status UcmProvider::ApplySetting(const std::string& name, const std::string& value) {
  const std::string subject = "setting " + name;
  auto cli_or = Cli(subject, "set");
  if (!cli_or.ok()) return cli_or.status();
  CliSession& cli = **cli_or;
  auto observed = Observation(subject, "set");
  if (!observed.ok()) return observed.status();
  const SettingsDialect& d = dialect_->settings;
  auto& settings = observed_->actual.settings;
  auto invalid = [&](const std::string& why) {
    return Status::InvalidInput(Where(subject, "set") + ": '" + Excerpt(value, 80) + "' " + why);
  };
  Status sent = Status::Ok();
  if (name == "ocsp.enabled") {
    if (value != "true" && value != "false") return invalid("is not true or false");
    sent = SendSetting(cli, value == "true" ? d.ocsp_enable : d.ocsp_disable, {}, subject);
  } else if (name == "ocsp.useCertificateUri") {
    if (value != "true" && value != "false") return invalid("is not true or false");
    if (value == "false") {
      // rule U16: the node takes the configured responder only once it has its URI. A
      // node without one gets the manifest's first (its own change then finds it made).
      const auto it = settings.find("ocsp.responder");
      if (it == settings.end() || it->second.empty()) {
        auto responder = planner::DesiredSetting(cluster_, "revocation.ocsp.responder");
        if (!responder)
          return Status::InvalidInput(Where(subject, "set") +
                                      ": the node has no configured OCSP URI and the manifest gives no responder (U16)");
        if (!PlainWord(*responder)) return invalid("needs a responder URI the CLI can carry");
        if (Status s = SendSetting(cli, d.ocsp_responder, {{"uri", *responder}}, subject); !s.ok()) return s;
        settings["ocsp.responder"] = *responder;
      }
    }
    sent = SendSetting(cli, value == "true" ? d.ocsp_use_certificate_uri : d.ocsp_use_configured_uri, {}, subject);
  } else if (name == "ocsp.responder") {
    if (!PlainWord(value)) return invalid("is not a URI the CLI can carry (no spaces or quotes)");
    sent = SendSetting(cli, d.ocsp_responder, {{"uri", value}}, subject);
  } else if (name == "ocsp.checkInterval") {
    auto hours = WholeUnits(value, 3600);
    if (!hours) return invalid("is not a whole number of hours (the node's Check Every, U16)");
    sent = SendSetting(cli, d.ocsp_interval, {{"hours", std::to_string(*hours)}}, subject);
  } else if (name == "certificateMonitor.notifyBefore") {
    auto days = WholeUnits(value, 86400);
    if (!days) return invalid("is not a whole number of days (the node's Notification Start Time, U17)");
    sent = SendSetting(cli, d.monitor_notify_before, {{"days", std::to_string(*days)}}, subject);
  } else if (name == "certificateMonitor.frequency") {
    auto days = WholeUnits(value, 86400);
    auto hours = WholeUnits(value, 3600);
    if (!hours) return invalid("is not a whole number of hours or days (the node's Notification Frequency, U17)");
    sent = SendSetting(cli, d.monitor_frequency,
                       {{"count", std::to_string(days ? *days : *hours)}, {"unit", days ? d.days_word : d.hours_word}},
                       subject);
  } else if (name == "certificateMonitor.email") {
    if (value.empty()) {
      sent = SendSetting(cli, d.monitor_email_off, {}, subject);
    } else {
      std::string ids;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        const std::string id = value.substr(start, end - start);
        if (!PlainWord(id) || id.find(d.email_separator) != std::string::npos)
          return invalid("holds an e-mail address the CLI cannot carry (U17)");
        ids += (ids.empty() ? "" : d.email_separator) + id;
        start = end + 1;
      }
      sent = SendSetting(cli, d.monitor_email, {{"ids", ids}}, subject);
    }
  } else {
    return Status::NotFound(Where(subject, "set") + ": not a setting of the ucm catalogue (U16, U17)");
  }
  if (!sent.ok()) return sent;
  settings[name] = value;
  return Status::Ok();
}

}  // namespace pkiform::ucm
