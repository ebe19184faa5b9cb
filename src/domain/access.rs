//! Who may do what, in one place: the pages ask these functions whether to show a control, and the
//! handlers and transitions ask the same ones before acting.
//!
//! - A case is read and changed by the operator who opened it and those it is shared with;
//!   supervisors and admins read every case.
//! - A submitted, current assessment is reviewed by a supervisor or admin who did not submit it.
//! - It is amended, and its action statuses updated, by those who may change its case.

use super::assessment::{Actor, Assessment, LifecycleError};
use super::{Case, Role, User};

/// Whether `user` may see `case`.
pub fn can_read(user: &User, case: &Case) -> bool {
    user.role >= Role::Supervisor || can_write(user, case)
}

/// Whether `user` may change `case` and its assessments.
pub fn can_write(user: &User, case: &Case) -> bool {
    case.is_operator_allowed(user.id)
}

/// Why `actor` may not review `assessment` now, if they may not.
pub fn may_review(actor: Actor, assessment: &Assessment) -> Result<(), LifecycleError> {
    assessment.check_current_submission()?;
    if actor.role < Role::Supervisor {
        Err(LifecycleError::NotAReviewer)
    } else if assessment.submitted().is_some_and(|(_, by)| by == actor.id) {
        Err(LifecycleError::OwnSubmission)
    } else {
        Ok(())
    }
}

/// Whether `actor` may review `assessment` now (to show the review form).
pub fn can_review(actor: Actor, assessment: &Assessment) -> bool {
    may_review(actor, assessment).is_ok()
}

/// Whether `user` may amend `assessment` of `case`, or update its action statuses.
pub fn can_change_submission(user: &User, case: &Case, assessment: &Assessment) -> bool {
    can_write(user, case) && assessment.is_current_submission()
}

impl User {
    /// The account as the lifecycle rules see it.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            role: self.role,
        }
    }
}
