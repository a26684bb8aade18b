// A data subject's request: GET /v1/exemplars/{id}/subject-access?position=P
// answers with everything the log held about the exemplar's subject at P,
// where P is the recorded step that gave it to them (an action of the
// definition with the effect gives_subject_access, taken through the
// ordinary command route), so that every copy given is in the log and can
// be read again as it was. Each event comes with where it lies (position,
// stream version, hash), its actor and time, and its fields opened, except
// the personal data of third parties (a commenter's name and words), which
// are named as withheld. JSON, or with Accept: text/html a document to read
// and print, in Vietnamese. Read by the officer who recorded the step, or
// an admin, while they hold the action's role (or admin).
#pragma once

#include "api/router.h"
#include "engine/event_store.h"
#include "engine/workflow/command_handler.h"

namespace exemplar::api {

void AddSubjectAccessRoutes(Router& router, const EventStore& store,
                            CommandHandler& handler);

}  // namespace exemplar::api
