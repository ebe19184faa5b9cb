# Signing in, the second step, and the Account page.

sign-in-title = Sign in
sign-in-failed-title = Sign-in failed
sign-in-failed = The username or password is not right, or the account is locked or disabled. After 6 failed attempts an account is locked for 30 minutes.
sign-in-throttled = Too many failed sign-ins from this network. Wait 15 minutes and try again.
field-username = Username
field-password = Password
sign-in-button = Sign in

code-title = Sign in: code
code-heading = Type the code from your app
code-refused-title = The code was not accepted
code-intro = Your password was right. Open the authenticator app you set up for this account and type the six digits it shows for exit-factors.
code-field = Code
code-hint = Six digits. Lost your phone? Type one of your recovery codes instead (xxxx-xxxx-xxxx-xxxx); each works once.
code-wrong = That code is not right. Type the six digits your authenticator app shows now, or one of your recovery codes. After 6 failed attempts the account is locked for 30 minutes.
code-replayed = That code was used already. Wait until your app shows a new code (every 30 seconds) and type that one.
code-start-again = Start again with another account

account-title = Your account
account-changed-others = Your password was changed. Your other sessions were signed out.
account-changed = Your password was changed. Your other sessions stay signed in.
sessions-ended = { $count ->
    [one] { $count } other session was signed out.
   *[other] { $count } other sessions were signed out.
}
account-language-saved = Your language was saved.
account-username = Username
account-role = Role
account-two-step = Two-step sign-in
account-two-step-on = On since { $date }: signing in asks for the code from your authenticator app. { $left ->
    [one] { $left } recovery code unused.
   *[other] { $left } recovery codes unused.
}
account-two-step-off = Off: your password alone opens your account.
account-two-step-required = Your organisation requires it for your role.
account-two-step-manage = Manage two-step sign-in
account-two-step-set-up = Set up two-step sign-in
account-language = Language
account-language-legend = Language of the pages
account-language-hint = The pages, messages and your PDF summaries. A client copy can still be printed in the woman's own language.
account-language-default = The organisation's default ({ $language })
account-language-save = Save language
account-sessions = Where you are signed in
account-sessions-caption = Your active sessions
account-sessions-browser = Browser
account-sessions-started = Signed in
account-sessions-last = Last active
account-sessions-this = (this one)
account-sessions-unknown = Unknown browser
account-sessions-question = Do not recognise one, or left one open on a shared computer?
account-sessions-end = Sign out all other sessions
account-password = Change your password
field-current-password = Current password
field-new-password = New password
field-new-password-hint = 12 to 128 characters, hard to guess, without your username. A few unrelated words make a good password.
field-confirm-password = New password again
account-end-others = Also sign out my other sessions
account-password-button = Change password
error-current-password = Your current password is not right
error-passwords-differ = The two passwords are not the same
error-password-short = Password: use at least 12 characters
error-password-long = Password: use at most 128 characters
error-password-username = Password: do not put your username in your password
error-password-guessable = Password: this password is too easy to guess. Add another word or two that have nothing to do with each other, or use a longer phrase.

two-step-title = Two-step sign-in
two-step-required = Your organisation asks accounts like yours to sign in with a code from an authenticator app as well as the password. Set one up now to continue: it takes a minute.
two-step-intro = With two-step sign-in, a stolen or guessed password is not enough to open the cases: signing in also takes the six-digit code that an app on your phone shows (for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator). The app works offline; nothing is sent to anyone.
two-step-status-on = Two-step sign-in is on for your account since { $date }. { $left ->
    [one] { $left } of your recovery codes is unused.
   *[other] { $left } of your recovery codes are unused.
}
two-step-status-off = Two-step sign-in is off for your account.
two-step-add = 1. Add the account to your app
two-step-scan = In the app, choose to add an account and scan this code:
two-step-qr-label = QR code to add this account to an authenticator app
two-step-type-key = If you cannot scan it, choose to type a key instead and enter this one (time-based, 6 digits):
two-step-confirm-heading = 2. Type the code the app shows
two-step-code-field = Code from the app
two-step-code-hint = Six digits. A new one appears every 30 seconds.
two-step-turn-on = Turn on two-step sign-in
two-step-code-wrong = That code does not match. Type the six digits the app shows now for exit-factors; if it still fails, check that the phone's clock is set automatically.
two-step-new-app-hint = Changed phones, or running out of recovery codes? Set up the app again: you get ten new recovery codes, and the old app and codes stop working once the new app is confirmed.
two-step-new-app = Set up a new app
two-step-set-up = Set up an authenticator app
two-step-back = Back to your account
recovery-title = Your recovery codes
recovery-heading = Two-step sign-in is on
recovery-notice = From now on, signing in asks for the code from your app after the password.
recovery-intro = If you lose your phone, each of these codes signs you in once instead of the app's code. They are shown only now. Print them or write them down and keep them somewhere safe, away from your phone. Do not keep them on the shared office computer.
recovery-run-out = If you run out, or lose them too, set up the app again from your Account page, or ask an administrator to reset your two-step sign-in.
recovery-continue = Continue

setup-title = First-run setup
setup-heading = Create the first administrator
setup-intro = This link works once, while this server runs. The account you create here manages all other accounts.
setup-username-hint = 3 to 32 characters: letters a-z, digits, '.', '_' or '-'. Not your full name.
setup-password-hint = 12 to 128 characters, hard to guess, without your username.
setup-password-again = Password again
setup-button = Create administrator
error-username-length = Username: a username has 3 to 32 characters
error-username-characters = Username: a username starts with a letter and uses only letters a-z, digits, '.', '_' or '-'
error-username-taken = That username is already taken
