//! Who may read and who may change a case: the creator and the operators it is shared with may do
//! both; supervisors and admins may read every case.

use super::{Case, Role, User};

/// Whether `user` may see `case`.
pub fn can_read(user: &User, case: &Case) -> bool {
    user.role >= Role::Supervisor || can_write(user, case)
}

/// Whether `user` may change `case` and its assessments.
pub fn can_write(user: &User, case: &Case) -> bool {
    case.is_operator_allowed(user.id)
}
