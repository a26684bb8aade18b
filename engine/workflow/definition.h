// Workflow definitions as data: the states, actions, rules, criteria sets,
// award forms, quotas and deadlines of the exemplar lifecycle, loaded from a
// JSON file (workflows/exemplar.json by default) and validated before the
// engine starts.
//
// The engine is generic over a Definition: an action that records a new
// kind of fact is a definition change, not new engine code. Rules are a
// fixed set of kinds that the engine implements (separation of duties,
// criteria met, public comment period, ...) configured and switched on by the
// definition, each with its own rejection reason. What the read side
// (projections) needs of the workflow, which actions are decisions and
// which mark a milestone, is declared in the definition too (read_side.h),
// so adding an action is a change of workflows/*.json only: declare it
// under "actions" and, when the read side should count it, name it under
// "read_side" (the ledger, a mark, a view section).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/workflow/read_side.h"
#include "events/civil_date.h"
#include "events/status.h"

namespace exemplar {

// A name with its Vietnamese and English labels.
struct Label {
  std::string vi;
  std::string en;
};

enum class FieldType {
  kString,  // one line, no control character; max_length code points
            // (default 200)
  kText,    // free text, LF and tab allowed; max_length (default 10000)
  kInt,     // 64-bit integer within [min, max]
  kNumber,  // double within [min, max]
  kBool,
  kDate,             // "YYYY-MM-DD"
  kEnum,             // a string among `values`
  kStringList,       // up to max_items strings, among `values` when given
  kCriteriaResults,  // [{"criterion", "met", "evidence"}]
  kPeriod,           // "YYYY" or "YYYY-Qn"
  kUser,             // id of a registered, active user
  kUnit,             // id of an existing, open unit
  kCampaign,         // id of a launched, open campaign
  kAwardForm,        // name of an award form of the definition
  kExemplar,         // id of an existing exemplar the actor may see
  // Up to max_items evidence documents the actor uploaded beforehand
  // (documents/document_store.h), named by hash; must be personal data.
  kDocuments,
};

// The definition's spelling of a type: "string", "criteria_results", ...
const char* FieldTypeName(FieldType type);

// Whose personal data a field holds: the exemplar's subject (the person or
// household it is about), a citizen commenting during the public-comment
// window, or the officer taking the action.
enum class PersonalOf { kSubject, kCommenter, kActor };

// A field that holds personal data, and the retention class (a name of
// Definition::retention_classes) that says how long it is kept.
struct PersonalMark {
  PersonalOf of = PersonalOf::kSubject;
  std::string retention_class;
};

struct FieldSpec {
  std::string name;
  Label label;
  FieldType type = FieldType::kString;
  bool required = false;
  std::optional<double> min;  // kInt, kNumber
  std::optional<double> max;
  std::size_t max_length = 0;  // kString, kText; 0 means the type's default
  std::size_t max_items = 50;  // kStringList, kCriteriaResults, kDocuments
  std::vector<std::string> values;       // kEnum, kStringList
  std::vector<Label> value_labels;       // the label of each of `values`
  std::optional<PersonalMark> personal;  // absent: not personal data

  // The label of `value`, one of `values`; nullptr for another.
  const Label* ValueLabel(const std::string& value) const;
};

// What taking an action does to the exemplar's state besides moving it.
struct ActionEffects {
  std::string set_slot;         // slot to fill (e.g. "mentor") ...
  std::string slot_field;       // ... with this kUser field's value
  std::string clear_slot;       // slot to empty
  std::string add_to_set;       // named set of values (e.g. "recused") ...
  std::string set_field;        // ... to which this field's value is added
  bool starts_cycle = false;    // a new nomination cycle begins (see rules)
  std::string add_to_map;       // named map (e.g. "replication_targets") ...
  std::string map_key_field;    // ... whose entry for this field's value ...
  std::string map_value_field;  // ... becomes this unit field's value
  // The nomination in flight is moved to the definition version that takes
  // the action (see RuleKind::kCycleDefinitionVersion).
  bool adopts_definition_version = false;
  // The action names, in this field, a retention class of the exemplar's
  // personal data to erase: refused when the class is kept (RetentionClass
  // ::kept_because) ...
  std::string erasure_class_field;
  // ... and, when set, taking it erases that class: the keys of its values
  // are destroyed (engine/workflow/personal_data.h) and the read side drops
  // them. The approval of a four-eyes erasure.
  bool erases_personal_data = false;
  // Taking it records that the exemplar's subject was given what the
  // system holds about them (a data subject's request); the document is
  // read afterwards as of that step (GET /v1/exemplars/{id}/subject-access).
  bool gives_subject_access = false;
};

// Who besides those who see the exemplar's unit may take an action: the
// officers of the unit that map `map` names for the command's `key_field`
// (e.g. of the unit a replication was planned into). See
// engine/workflow/target_scope.h.
struct TargetUnitAccess {
  std::string map;
  std::string key_field;
};

struct ActionSpec {
  std::string name;
  Label label;
  bool creates = false;            // starts the stream; `from` is empty
  std::vector<std::string> from;   // states it may be taken from
  std::optional<std::string> to;   // none: records without moving
  std::string event;               // event type tag it produces
  std::vector<std::string> roles;  // roles that may take it
  std::vector<FieldSpec> fields;
  ActionEffects effects;
  // The command may say it records what the exemplar themselves wrote
  // (on_behalf_of: the exemplar's id), typed by the officer.
  bool on_behalf_of_subject = false;
  std::optional<TargetUnitAccess> by_target_unit;

  const FieldSpec* FindField(const std::string& field) const;
};

// What each kind looks at. Rules about who did what read the exemplar's
// recorded history (who took which action, who ever held a slot, who was
// ever added to a set), never only its present state: nothing an action
// changes later (releasing a mentor, a new holder of a slot) clears a user
// whom the history names.
enum class RuleKind {
  // A user who took one of `after` in the current nomination cycle may not
  // take `actions` (four-eyes). Reads every actor the cycle recorded for
  // `after`, however many took it. Per cycle on purpose: a new nomination
  // (an action with effects.starts_cycle) is a new case whose nominator and
  // appraiser are those of that cycle.
  kSeparationOfDuties,
  // Anyone who ever held `slot` (e.g. the mentor), not only its present
  // holder, may not take `actions`: releasing or replacing the holder does
  // not clear them.
  kNotAssignee,
  // A user ever added to set `set` (e.g. recused by a conflict of interest)
  // may not take `actions`. Sets only grow.
  kActorNotInSet,
  // `field`'s value must (kFieldInSet) or must not (kFieldNotInSet) already
  // be in set `set`, e.g. a replication must have been planned. Sets only
  // grow.
  kFieldInSet,
  kFieldNotInSet,
  // Every mandatory criterion of the campaign's criteria set that applies to
  // the subject kind is met in the cycle's latest `criteria_field`.
  kCriteriaMet,
  // Every criterion the command's `criteria_field` names is one of the
  // campaign's criteria set that applies to the subject kind: an appraisal
  // cannot record a result for a criterion nobody is judged on.
  kCriteriaKnown,
  // The conditions of the campaign's criteria set hold for the subject, on
  // the latest value of each condition's field (command, cycle, exemplar).
  kCriteriaSetConditions,
  // When the award form requires it, action `source` (opening public
  // comment) was last taken in this cycle at least the award's working days
  // before the command.
  kPublicCommentPeriod,
  // When the award form requires it, the cycle's latest vote reaches the
  // threshold.
  kCouncilVote,
  // The level of the unit the actor acts for may grant the award form.
  kAwardGrantingLevel,
  // The sum of `fields` is at most `limit_field` (command, else cycle).
  kSumAtMost,
  // Date `field` is not after the day the command is recorded (local).
  kDateNotAfterRecording,
  // Date `field` is not before the day action `source` was last taken in
  // this cycle (e.g. a decision date not before the approval it honours).
  kDateNotBeforeAction,
  // When enum `choice_field` is `choice`, date `field` is given and falls
  // on `month_day` ("MM-DD"), e.g. the patriotic emulation day on 11 June.
  kDateOnDayOfChoice,
  // The actor's role is one of the roles of the body that decides the
  // campaign of `campaign_field` (the campaign names it at its launch, else
  // the definition's first deciding body): a Women's Union campaign is
  // decided by the Union's standing committee, a government movement by
  // the emulation council.
  kDecidingBody,
  // The unit of `field` lies within the unit the actor acts for (e.g. a
  // replication is planned only into a unit under the planner's authority).
  kUnitWithinActor,
  // The current nomination cycle began, or was last moved by an action with
  // effects.adopts_definition_version, under this definition's version: a
  // nomination in flight is not judged by rules and criteria it did not
  // start under until a person moves it, a step the log records.
  kCycleDefinitionVersion,
};

// The definition's spelling of a rule kind: "separation_of_duties", ...
const char* RuleKindName(RuleKind kind);

struct Rule {
  RuleKind kind = RuleKind::kSeparationOfDuties;
  std::string reason;                // stable rejection code
  Label label;                       // the refusal, for a person
  std::vector<std::string> actions;  // the actions it governs
  std::vector<std::string> after;    // kSeparationOfDuties
  std::string slot;                  // kNotAssignee
  std::string set;                   // kActorNotInSet, kField(Not)InSet
  std::string field;                 // kField(Not)InSet
  std::string source;                // kPublicCommentPeriod: opening action;
                                     // kDateNotBeforeAction: the bound
  std::string campaign_field = "campaign_id";  // kCriteria*
  std::string criteria_field = "criteria";     // kCriteriaMet, kCriteriaKnown
  std::string award_field = "award_form";
  std::string for_field = "votes_for";    // kCouncilVote
  std::string members_field = "members";  // kCouncilVote
  std::vector<std::string> fields;        // kSumAtMost
  std::string limit_field;                // kSumAtMost
  std::string choice_field;               // kDateOnDayOfChoice
  std::string choice;
  unsigned month = 0, day = 0;  // kDateOnDayOfChoice: "month_day"
};

// A body that decides nominations (the emulation council, a Union's
// standing committee): the roles its members act in.
struct DecidingBody {
  std::string name;
  Label label;
  std::vector<std::string> roles;
};

struct Criterion {
  std::string id;
  Label label;
  bool mandatory = true;
  std::vector<std::string> subject_kinds;  // empty: applies to every kind
};

// A rule of a criteria set about the subject, e.g. a Women's Union
// collective needs women_ratio >= 0.7.
struct SubjectCondition {
  std::string subject_kind;
  std::string field;
  std::optional<double> min;   // numeric fields
  std::optional<bool> equals;  // boolean fields
  std::string reason;
  Label label;
};

struct CriteriaSet {
  std::string name;
  Label label;
  std::vector<Criterion> criteria;
  std::vector<SubjectCondition> conditions;
};

// At least `fraction` of all members voted for (more than, when strict).
struct VoteThreshold {
  double fraction = 0.5;
  bool strict = true;
};

struct AwardForm {
  std::string name;
  Label label;
  std::vector<std::string> granted_by;  // unit levels
  bool requires_public_comment = false;
  int comment_working_days = 10;  // default: the definition's
  bool requires_council_vote = false;
  VoteThreshold vote_threshold;  // default: the definition's
};

// The local dates an entry of the definition is in force: from `from`
// (inclusive) until `until` (exclusive); absent, open on that side. So the
// seeds' district minimums end when the district level does, and what takes
// over is another entry from that day.
struct EffectivePeriod {
  std::optional<CivilDate> from;
  std::optional<CivilDate> until;

  bool Covers(CivilDate day) const;
  bool Overlaps(const EffectivePeriod& other) const;
};

// Annual minimum of exemplars per unit level (seed 003), in force for
// `period`; `takes_over` names the level whose minimum it succeeds, if any.
struct Quota {
  std::string unit_level;
  int min_per_year = 0;
  EffectivePeriod period;
  std::string takes_over;
};

// Annual registration (seed 004): a unit level registers between min and
// max exemplars by month/day; the entry in force on a year's due date is
// that year's. `takes_over` names the level whose step it succeeds.
struct AnnualRegistration {
  std::string unit_level;
  int min = 0;
  int max = 0;
  unsigned due_month = 1;
  unsigned due_day = 1;
  EffectivePeriod period;
  std::string takes_over;
  // The registration funnel (engine/workflow/funnel.h): "register" (the
  // unit's own exemplars, the default) or "select" (from the lists its
  // children registered).
  std::string step = "register";
  // The roles that take the step and submit its list. Default nominator
  // and approver.
  std::vector<std::string> roles = {"nominator", "approver"};
  // Only units of the level that launched a campaign open in the year take
  // the step (an agency leading a movement).
  bool leads_campaign = false;
  // The level of the unit a selection is submitted to; "" for any unit.
  std::string submit_to_level;

  // The due date in `year`.
  CivilDate DueIn(int year) const;
};

// Who scores a unit's propagation work for a period (seed 001), and the
// bounds of the score.
struct PropagationAssessment {
  std::vector<std::string> roles = {"appraiser", "approver"};
  double min_score = 0;
  double max_score = 100;
};

// How a unit in being for part of a year is held to a yearly minimum:
// pro rata by the months it was in being (the default), or in whole.
enum class PartYear { kProRataMonths, kWhole };

// The definition's spelling: "pro_rata_months", "whole".
const char* PartYearName(PartYear part_year);

// The emulation blocs (khối thi đua) that lead a quarter's emulation.
struct LeadBlocRotation {
  int quarter = 1;
  std::vector<std::string> blocs;
  std::vector<Label> bloc_labels;  // the label of each of `blocs`
};

struct Deadlines {
  // Quarterly introduction is due before this day of the quarter's last
  // month. Default 5.
  unsigned quarterly_introduction_day = 5;
  std::vector<AnnualRegistration> annual_registration;
  std::vector<LeadBlocRotation> lead_bloc_rotation;
};

// Which fields of the creating action identify the subject, and those the
// list and the reports show of it.
struct SubjectFields {
  std::string unit_field = "unit_id";             // a required unit
  std::string kind_field = "subject_kind";        // a required enum
  std::string name_field = "name";                // a string
  std::string domain_field = "field";             // an enum (lĩnh vực)
  std::string priority_field = "priority_flags";  // a string_list with values
};

struct State {
  std::string name;
  Label label;
};

struct Role {
  std::string name;
  Label label;
};

// How long personal data of one kind is kept. A kept class's data may not
// be erased (a published award decision serves a state body's duty);
// another's is erased on request, and `erase_after_years` after one of
// `after_actions` was taken on the exemplar when set (a rejected or
// withdrawn nomination).
struct RetentionClass {
  std::string name;
  Label label;
  std::optional<Label> kept_because;  // set: erasure is refused with it
  int erase_after_years = 0;          // 0: only on request
  std::vector<std::string> after_actions;
};

// The step that proposes the erasures the retention rules make due, for a
// person to approve: the action it takes (one that requests an erasure,
// ActionEffects::erasure_class_field), the role it acts in, and the values
// of the action's other fields, where "{retention_class}" and "{due_on}"
// stand for the due item's class and date.
struct RetentionSchedule {
  std::string action;
  std::string role;
  std::map<std::string, std::string> fields;
};

struct Definition {
  std::string name;
  std::uint32_t version = 0;
  // The JSON it was parsed from, compact: what the log records of it
  // (definition_versions.h).
  std::string source;
  Label label;
  // Local time is UTC plus this offset, in minutes. Default 420 (UTC+7).
  int utc_offset_minutes = 420;
  // Default public comment period, in working days (Mon-Fri). Default 10.
  int comment_working_days = 10;
  // Default council vote threshold. Default more than half.
  VoteThreshold vote_threshold;
  SubjectFields subject;
  std::vector<State> states;
  std::vector<Role> roles;
  std::vector<ActionSpec> actions;
  std::vector<Rule> rules;
  std::vector<CriteriaSet> criteria_sets;
  std::vector<AwardForm> award_forms;
  // The first decides a campaign that names none.
  std::vector<DecidingBody> deciding_bodies;
  std::vector<Quota> quotas;
  // The rules of keeping personal data the fields' marks name.
  std::vector<RetentionClass> retention_classes;
  std::optional<RetentionSchedule> retention_schedule;
  PartYear part_year = PartYear::kProRataMonths;
  Deadlines deadlines;
  PropagationAssessment propagation_assessment;
  ReadSide read_side;

  // nullptr when absent.
  const ActionSpec* FindAction(const std::string& action) const;
  const CriteriaSet* FindCriteriaSet(const std::string& set) const;
  const AwardForm* FindAwardForm(const std::string& form) const;
  // The body named `body`; for "", the first; nullptr when none.
  const DecidingBody* FindDecidingBody(const std::string& body) const;
  bool HasRole(const std::string& role) const;
  const RetentionClass* FindRetentionClass(const std::string& name) const;

  // The quota of `level` in force on `day`; nullptr when none.
  const Quota* QuotaOn(const std::string& level, CivilDate day) const;
  // The annual registration of `level` for `year`: the entry in force on
  // its due date that year; nullptr when none.
  const AnnualRegistration* RegistrationFor(const std::string& level,
                                            int year) const;
  // The minimum for `year` of a unit of `level` in being on local dates
  // [opened, ended) (either open when absent). A month counts when the unit
  // was in being on its 15th and takes the quota in force that day; pro
  // rata, the minimum is the sum of each counted month's twelfth, rounded
  // up; in whole, it is the quota of the last counted month. 0 when no
  // month counts.
  int MinimumForYear(const std::string& level, int year,
                     std::optional<CivilDate> opened,
                     std::optional<CivilDate> ended) const;
};

// Parses and validates a definition. On failure returns kInvalidArgument
// whose message names the location and the problem, e.g.
// `actions[12].from: unknown state "nominatd"`, and whose field() is the
// location. Checks: JSON syntax and member types; duplicate names (states,
// roles, actions, events, fields, criteria, award forms); unknown states,
// roles, actions, unit levels and field types; actions with no role;
// states no action can reach; rules naming unknown actions or fields; a
// read side lacking a mark or naming an unknown action, field, state, slot
// or view section (read_side.h); a missing or empty `vi` or `en` text of
// the definition, a state, role, action, field, choice value (`values` are
// objects `{"value", "vi", "en"}`), rule (its refusal), criteria set,
// criterion, condition or award form; a quota or annual registration's
// `from`/`until` not a date, `until` not after `from`, two entries of one
// level in force on a same day, `takes_over` not a level, `part_year` not
// a known way; a personal mark on a field that is not text or documents,
// naming an unknown retention class or whose data it is; a documents field
// without one; in a definition with
// retention classes, the subject's name not marked as the subject's; a
// retention class both kept and erased after a
// time, or erased after a time without the actions that start it.
Result<Definition> ParseDefinition(const std::string& json_text);

// Reads the file at `path` and parses it. kNotFound when it cannot be read.
Result<Definition> LoadDefinition(const std::string& path);

}  // namespace exemplar
