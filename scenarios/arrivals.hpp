#pragma once
// Case exports to replay: the native arrivals CSV (what `supportsim synth` writes), presets for
// Salesforce Service Cloud, Zendesk and ACD call-detail-record exports, and mapping files for
// any other export; with each case's history (queued, answered, abandoned, handle time, agent
// ...) when the file has it. The format is documented in docs/arrivals-format.md.

#include "models/organisation.hpp"
#include "models/priority.hpp"
#include "models/replay.hpp"
#include "scenarios/input_error.hpp"
#include "sim/clock.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supportsim::scenarios {

/// A case export (or a mapping file) is wrong. what() is one line, "FILE:LINE: problem", e.g.
/// "cases.csv:18234: CreatedDate '2026-13-01' is not a date"; "FILE: problem" when no line
/// applies (line() == 0: the file cannot be opened, a mapping file's value is wrong).
class ArrivalsError : public FileLineError {
public:
  using FileLineError::FileLineError;
};

/// The exports supportsim reads without a mapping file.
enum class ArrivalsFormat : std::uint8_t {
  native,     ///< supportsim's own CSV (created_utc, region, priority ...)
  salesforce, ///< a Salesforce Service Cloud case report (CaseNumber, CreatedDate, Origin ...)
  zendesk,    ///< a Zendesk ticket export (id, created_at, priority, via, tags ...)
  acd,        ///< an ACD call-detail-record export (Call Start, Answer Time, Disposition ...)
};
inline constexpr std::array<std::string_view, 4> arrivals_format_names{"native", "salesforce",
                                                                       "zendesk", "acd"};
/// The format called `name` ("salesforce"), or none.
std::optional<ArrivalsFormat> arrivals_format_named(std::string_view name);

/// What a column of an export can give about a case. Only created_utc is required. The fields
/// from queued_utc on are the case's history (what really happened to it): all optional,
/// read into HistoryRecord and the model's ReplayedCase fields (docs/arrivals-format.md).
enum class ArrivalField : std::uint8_t {
  created_utc,          ///< the creation instant
  case_id,              ///< the export's case number: kept for messages, not simulated
  region,               ///< the customer's region, by name (AMER)
  priority,             ///< P1 .. P4
  channel,              ///< phone, chat, email
  segment,              ///< free, pro, business, enterprise, premium
  product,              ///< a product area of the scenario, by name (DNS)
  language,             ///< a language of the scenario (en)
  account,              ///< a premium (TAM) account of the scenario, by name
  seed,                 ///< the case's own seed, a decimal uint64 (supportsim's own files)
  queued_utc,           ///< entered the queue (phone: after the IVR); default created_utc
  answered_utc,         ///< first answer / first reply by an agent; empty if never
  abandoned_utc,        ///< the customer gave up; empty if not
  ended_utc,            ///< the contact ended (a call hung up): gives handle = end - answer
  outcome,              ///< a disposition word: answered, abandoned or other (ACD exports)
  handle_minutes,       ///< agent work of the first touch (talk + hold [+ after-call work])
  wrap_minutes,         ///< after-call work of the first touch, when given separately
  touches,              ///< touches the case took, a whole number >= 1
  total_handle_minutes, ///< agent work over all touches
  resolved_utc,         ///< solved / closed
  escalated,            ///< yes/no (true/false, 1/0)
  reopened,             ///< yes/no, or a count of reopens (> 0 is yes)
  agent,                ///< who answered, any text
  group,                ///< the group or queue that answered, any text
  first_reply_minutes,  ///< minutes from creation to the first reply (answered = created + it)
  resolution_minutes,   ///< minutes from creation to resolution (resolved = created + it)
};
inline constexpr std::size_t arrival_field_count = 26;
inline constexpr std::array<std::string_view, arrival_field_count> arrival_field_names{
    "created_utc",
    "case_id",
    "region",
    "priority",
    "channel",
    "segment",
    "product",
    "language",
    "account",
    "seed",
    "queued_utc",
    "answered_utc",
    "abandoned_utc",
    "ended_utc",
    "outcome",
    "handle_minutes",
    "wrap_minutes",
    "touches",
    "total_handle_minutes",
    "resolved_utc",
    "escalated",
    "reopened",
    "agent",
    "group",
    "first_reply_minutes",
    "resolution_minutes"};
constexpr std::size_t index_of(ArrivalField f) {
  return static_cast<std::size_t>(f);
}

/// The unit of a duration column (handle_minutes, wrap_minutes, total_handle_minutes,
/// first_reply_minutes, resolution_minutes). Values written h:mm:ss or mm:ss are read as such
/// whatever the unit.
enum class DurationUnit : std::uint8_t { minutes, seconds, hours };
inline constexpr std::array<std::string_view, 3> duration_unit_names{"minutes", "seconds", "hours"};

/// What happened to a case, as its history says.
enum class CaseOutcome : std::uint8_t {
  none,     ///< neither answered nor abandoned (still open, transferred out, voicemail ...)
  answered, ///< an agent answered (answered_utc)
  abandoned ///< the customer gave up before an answer (abandoned_utc)
};

/// The actual record of one history row, every field as the file gave it (after units and
/// derivations: answered from first_reply_minutes, abandoned from ended_utc when the outcome
/// says so, handle from ended - answered when no handle column has a value).
struct HistoryRecord {
  std::size_t line = 0; ///< the CSV line the row starts on
  sim::UtcTime created{};
  std::optional<sim::UtcTime> queued, answered, abandoned, ended, resolved;
  std::optional<double> handle_minutes, wrap_minutes, total_handle_minutes;
  std::optional<std::uint16_t> touches;
  std::optional<bool> escalated, reopened;
  std::string agent, group; ///< "" when not given
  CaseOutcome outcome = CaseOutcome::none;
  bool handle_derived = false; ///< handle_minutes is ended - answered, not a column's value

  /// When the case entered the queue: queued, or else created.
  sim::UtcTime queued_or_created() const { return queued ? *queued : created; }
};

/// History rows with nothing to replay (see docs/arrivals-format.md): their number and the
/// first lines, for a warning.
struct UnreplayableRows {
  std::size_t count = 0;
  std::vector<std::size_t> first_lines; ///< at most line_limit, in the order read
  static constexpr std::size_t line_limit = 10;
};

/// How an export's columns and vocabulary map onto the native fields. A preset or a mapping
/// file gives one; docs/arrivals-format.md describes both.
struct ArrivalsMapping {
  /// Where the mapping came from, for messages: "native", "salesforce" or a mapping file.
  std::string source;
  /// Per field, the header names that may hold it (matched ignoring case and surrounding
  /// blanks); the first one the file has is read. Empty: the field is never read.
  std::array<std::vector<std::string>, arrival_field_count> columns;
  /// Per field, the export's words and the supportsim names they stand for, e.g. priority
  /// "Critical" -> "P1" (matched ignoring case). A word not listed is read as a supportsim name.
  std::array<std::vector<std::pair<std::string, std::string>>, arrival_field_count> values;
  /// A column of tags ("region_emea product_dns"), separated by blanks or commas; "" for none.
  std::string tag_column;
  /// Per field, the tag prefix that gives it ("region_"); "" for none. A field's own column,
  /// when it has a value, wins over a tag; of two tags for one field, the first wins.
  std::array<std::string, arrival_field_count> tag_prefixes;
  /// IANA zone of timestamps written without an offset; "" for none (such rows are bad).
  std::string time_zone;
  /// Per duration field, the unit of its column(s) (minutes unless said otherwise).
  std::array<DurationUnit, arrival_field_count> units{};
  /// The export's disposition words and the outcome each stands for (matched ignoring case),
  /// read from the `outcome` column; "answered", "abandoned" and "other" are always known.
  std::vector<std::pair<std::string, CaseOutcome>> outcomes;
  /// Per named field (region .. account), the value a row has when neither its column nor a
  /// tag gives one ("" for none): an ACD export's calls are all `phone`.
  std::array<std::string, arrival_field_count> defaults;
};

/// The mapping of a preset.
ArrivalsMapping arrivals_preset(ArrivalsFormat format);
/// Reads a mapping file (JSON; docs/arrivals-format.md) as every JSON input is read
/// (read_json_file()'s checks). Throws ScenarioError for a file that cannot be read or is not
/// JSON, ArrivalsError naming the file, the pointer and what is wrong for a mapping that is.
ArrivalsMapping load_arrivals_mapping(const std::string &path);
/// The same from text; `source` names it in errors.
ArrivalsMapping parse_arrivals_mapping(std::string_view text, const std::string &source);

struct ArrivalsOptions {
  /// IANA zone of naive timestamps (no Z, no offset); overrides the mapping's. "" for none.
  std::string time_zone{};
  /// Count bad rows (and keep the first few messages) instead of throwing at the first one.
  /// Header errors, unreadable files and rows over 16 MiB still throw.
  bool skip_bad_rows = false;
  /// Accept rows in any order: the whole file is read into memory (about 60 bytes a row plus
  /// the case numbers) when the reader opens, and sorted by creation time (stable: rows created
  /// at the same instant keep the file's order). Without it, a row created before the row above
  /// it is a bad row.
  bool sort = false;
  /// How the file writes its times, when neither ISO 8601 nor a US display form
  /// ("10/5/2025 9:12 AM"): strftime's directives (docs/arrivals-format.md#times), e.g.
  /// "%d/%m/%Y %H:%M". Every time column is then read by it. "" for none.
  std::string date_format{};
};

/// What is wrong with `format` as ArrivalsOptions::date_format ("" when nothing): a directive
/// it does not read, or a part of the time it lacks.
std::string arrivals_date_format_problem(std::string_view format);

/// The header row of the CSV file at `path`, each name trimmed. Throws ArrivalsError for a
/// file that cannot be read or has no header.
std::vector<std::string> read_csv_header(const std::string &path);

/// The formats whose creation column `header` has (native, salesforce, zendesk, acd order):
/// a file whose header fits one format alone can be read without naming it.
std::vector<ArrivalsFormat> arrivals_formats_fitting(const std::vector<std::string> &header);

/// A case export read as it is replayed: one row at a time, so that a file of any length
/// replays in bounded memory (unless ArrivalsOptions::sort). Names (regions, products,
/// languages, TAM accounts) are resolved against the organisation when each row is read.
///
///   ArrivalsReader reader("cases.csv", scenario.organisation,
///                         arrivals_preset(ArrivalsFormat::salesforce), {.time_zone = "UTC"});
///   models::ReplayedCase c;
///   while (reader.next(c)) ...
///
/// Throws ArrivalsError: at construction for a file that cannot be read, a bad header or a
/// bad time zone (and, with `sort`, for any bad row); from next() for a bad row, unless
/// `skip_bad_rows`.
class ArrivalsReader final : public models::CaseReplay {
public:
  ArrivalsReader(const std::string &path, const models::OrganisationConfig &organisation,
                 const ArrivalsMapping &mapping, const ArrivalsOptions &options = {});
  ~ArrivalsReader() override;
  ArrivalsReader(ArrivalsReader &&) noexcept;
  ArrivalsReader &operator=(ArrivalsReader &&) noexcept;

  bool next(models::ReplayedCase &out) override;
  /// With ArrivalsOptions::sort: a replay of every row, in creation order, that reads the rows
  /// this reader sorted when it opened instead of a copy, so replications running at once hold
  /// the file once. This reader must outlive it (and not move).
  std::unique_ptr<models::CaseReplay> sorted_replay() const;

  /// The case number of the case next() returned last ("" when the file has none).
  std::string_view case_id() const;
  /// The whole actual record of the case next() returned last: its line, its times and
  /// outcome, who answered. Valid until the next call of next().
  const HistoryRecord &history() const;
  /// Whether the file reads outcomes (its header has a column for answered_utc,
  /// abandoned_utc, outcome or first_reply_minutes): only then can a row lack one.
  bool has_outcomes() const;
  /// Rows returned so far that have nothing to replay: the file reads outcomes, and the row
  /// was neither answered nor abandoned. They are returned like any other case (their arrival
  /// is real demand), with CaseOutcome::none.
  const UnreplayableRows &unreplayable_rows() const;
  /// The warning for unreplayable_rows(), one line naming the file, the count and the first
  /// lines; "" when there are none.
  std::string unreplayable_warning() const;
  /// Cases returned so far.
  std::size_t cases_read() const;
  /// Bad rows skipped so far (skip_bad_rows only).
  std::size_t bad_rows() const;
  /// The messages of the first bad_row_message_limit bad rows, each "FILE:LINE: problem".
  const std::vector<std::string> &bad_row_messages() const;
  static constexpr std::size_t bad_row_message_limit = 10;

private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// One case of a native arrivals file, as `supportsim synth` writes it. Names as in the
/// scenario; an empty account for cases without a TAM account.
///
///   write_native_row(out, {.case_id = "42", .created = t, .region = "EMEA", ...});
struct NativeArrival {
  std::string_view case_id{};
  sim::UtcTime created{};
  std::string_view region{};
  models::Priority priority = models::Priority::p4;
  models::Channel channel = models::Channel::email;
  models::Segment segment = models::Segment::business;
  std::string_view product{};
  std::string_view language{};
  std::string_view account{};
  std::uint64_t seed = 0;
};

/// The native header row: "case_id,created_utc,region,priority,channel,segment,product,
/// language,account,seed" and a newline.
void write_native_header(std::ostream &out);
/// One row, the time with microseconds ("2027-01-04T09:15:00.123456Z") so that reading it back
/// gives the same instant; names quoted when they hold a comma, a quote or a line break.
void write_native_row(std::ostream &out, const NativeArrival &arrival);

} // namespace supportsim::scenarios
