# Connexion, deuxième étape et page du compte.

sign-in-title = Se connecter
sign-in-failed-title = Échec de la connexion
sign-in-failed = Le nom d'utilisateur ou le mot de passe n'est pas correct, ou le compte est verrouillé ou désactivé. Après 6 tentatives échouées, un compte est verrouillé pendant 30 minutes.
sign-in-throttled = Trop de connexions échouées depuis ce réseau. Attendez 15 minutes et réessayez.
field-username = Nom d'utilisateur
field-password = Mot de passe
sign-in-button = Se connecter

code-title = Connexion : code
code-heading = Saisissez le code de votre application
code-refused-title = Le code n'a pas été accepté
code-intro = Votre mot de passe est correct. Ouvrez l'application d'authentification configurée pour ce compte et saisissez les six chiffres qu'elle affiche pour exit-factors.
code-field = Code
code-hint = Six chiffres. Vous avez perdu votre téléphone ? Saisissez plutôt l'un de vos codes de secours (xxxx-xxxx-xxxx-xxxx) ; chacun ne sert qu'une fois.
code-wrong = Ce code n'est pas correct. Saisissez les six chiffres que votre application d'authentification affiche maintenant, ou l'un de vos codes de secours. Après 6 tentatives échouées, le compte est verrouillé pendant 30 minutes.
code-replayed = Ce code a déjà été utilisé. Attendez que votre application affiche un nouveau code (toutes les 30 secondes) et saisissez celui-ci.
code-start-again = Recommencer avec un autre compte

account-title = Votre compte
account-changed-others = Votre mot de passe a été modifié. Vos autres sessions ont été fermées.
account-changed = Votre mot de passe a été modifié. Vos autres sessions restent ouvertes.
sessions-ended = { $count ->
    [one] { $count } autre session a été fermée.
   *[other] { $count } autres sessions ont été fermées.
}
account-language-saved = Votre langue a été enregistrée.
account-username = Nom d'utilisateur
account-role = Rôle
account-two-step = Connexion en deux étapes
account-two-step-on = Activée depuis le { $date } : la connexion demande le code de votre application d'authentification. { $left ->
    [one] { $left } code de secours inutilisé.
   *[other] { $left } codes de secours inutilisés.
}
account-two-step-off = Désactivée : votre mot de passe seul ouvre votre compte.
account-two-step-required = Votre organisation l'exige pour votre rôle.
account-two-step-manage = Gérer la connexion en deux étapes
account-two-step-set-up = Configurer la connexion en deux étapes
account-language = Langue
account-language-legend = Langue des pages
account-language-hint = Les pages, les messages et vos résumés PDF. La copie remise à la personne accompagnée peut toujours être imprimée dans sa propre langue.
account-language-default = Celle de l'organisation par défaut ({ $language })
account-language-save = Enregistrer la langue
account-sessions = Où vous êtes connecté·e
account-sessions-caption = Vos sessions actives
account-sessions-browser = Navigateur
account-sessions-started = Connexion
account-sessions-last = Dernière activité
account-sessions-this = (celle-ci)
account-sessions-unknown = Navigateur inconnu
account-sessions-question = Vous n'en reconnaissez pas une, ou vous en avez laissé une ouverte sur un ordinateur partagé ?
account-sessions-end = Fermer toutes les autres sessions
account-password = Changer votre mot de passe
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-new-password-hint = De 12 à 128 caractères, difficile à deviner, sans votre nom d'utilisateur. Quelques mots sans rapport entre eux font un bon mot de passe.
field-confirm-password = Nouveau mot de passe, à nouveau
account-end-others = Fermer aussi mes autres sessions
account-password-button = Changer le mot de passe
error-current-password = Votre mot de passe actuel n'est pas correct
error-passwords-differ = Les deux mots de passe ne sont pas identiques
error-password-short = Mot de passe : utilisez au moins 12 caractères
error-password-long = Mot de passe : utilisez au plus 128 caractères
error-password-username = Mot de passe : n'y mettez pas votre nom d'utilisateur
error-password-guessable = Mot de passe : il est trop facile à deviner. Ajoutez un ou deux mots sans rapport entre eux, ou utilisez une phrase plus longue.

two-step-title = Connexion en deux étapes
two-step-required = Votre organisation demande aux comptes comme le vôtre de se connecter avec un code d'une application d'authentification en plus du mot de passe. Configurez-la maintenant pour continuer : cela prend une minute.
two-step-intro = Avec la connexion en deux étapes, un mot de passe volé ou deviné ne suffit pas pour ouvrir les dossiers : la connexion demande aussi le code à six chiffres qu'affiche une application sur votre téléphone (par exemple FreeOTP, Aegis, Google Authenticator ou Microsoft Authenticator). L'application fonctionne hors ligne ; rien n'est envoyé à personne.
two-step-status-on = La connexion en deux étapes est activée pour votre compte depuis le { $date }. { $left ->
    [one] { $left } de vos codes de secours est inutilisé.
   *[other] { $left } de vos codes de secours sont inutilisés.
}
two-step-status-off = La connexion en deux étapes est désactivée pour votre compte.
two-step-add = 1. Ajoutez le compte à votre application
two-step-scan = Dans l'application, choisissez d'ajouter un compte et scannez ce code :
two-step-qr-label = Code QR pour ajouter ce compte à une application d'authentification
two-step-type-key = Si vous ne pouvez pas le scanner, choisissez de saisir une clé et entrez celle-ci (basée sur le temps, 6 chiffres) :
two-step-confirm-heading = 2. Saisissez le code affiché par l'application
two-step-code-field = Code de l'application
two-step-code-hint = Six chiffres. Un nouveau code apparaît toutes les 30 secondes.
two-step-turn-on = Activer la connexion en deux étapes
two-step-code-wrong = Ce code ne correspond pas. Saisissez les six chiffres que l'application affiche maintenant pour exit-factors ; si cela échoue encore, vérifiez que l'heure du téléphone est réglée automatiquement.
two-step-new-app-hint = Vous avez changé de téléphone ou il vous reste peu de codes de secours ? Configurez à nouveau l'application : vous recevez dix nouveaux codes de secours, et l'ancienne application et les anciens codes cessent de fonctionner dès que la nouvelle application est confirmée.
two-step-new-app = Configurer une nouvelle application
two-step-set-up = Configurer une application d'authentification
two-step-back = Retour à votre compte
recovery-title = Vos codes de secours
recovery-heading = La connexion en deux étapes est activée
recovery-notice = Désormais, la connexion demande le code de votre application après le mot de passe.
recovery-intro = Si vous perdez votre téléphone, chacun de ces codes vous permet de vous connecter une fois à la place du code de l'application. Ils ne sont affichés que maintenant. Imprimez-les ou notez-les et gardez-les en lieu sûr, loin de votre téléphone. Ne les conservez pas sur l'ordinateur partagé du bureau.
recovery-run-out = Si vous n'en avez plus, ou si vous les perdez aussi, configurez à nouveau l'application depuis la page de votre compte, ou demandez à un administrateur de réinitialiser votre connexion en deux étapes.
recovery-continue = Continuer

setup-title = Première configuration
setup-heading = Créer le premier compte administrateur
setup-intro = Ce lien ne fonctionne qu'une fois, tant que ce serveur tourne. Le compte que vous créez ici gère tous les autres comptes.
setup-username-hint = De 3 à 32 caractères : lettres a-z, chiffres, « . », « _ » ou « - ». Pas votre nom complet.
setup-password-hint = De 12 à 128 caractères, difficile à deviner, sans votre nom d'utilisateur.
setup-password-again = Mot de passe, à nouveau
setup-button = Créer le compte administrateur
error-username-length = Nom d'utilisateur : il compte de 3 à 32 caractères
error-username-characters = Nom d'utilisateur : il commence par une lettre et n'utilise que des lettres a-z, des chiffres, « . », « _ » ou « - »
error-username-taken = Ce nom d'utilisateur est déjà pris
