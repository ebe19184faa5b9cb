# Les pages de l'administrateur : utilisateurs, paramètres, conservation, sauvegardes, journal d'audit, effacement.

users-title = Utilisateurs
users-create = Créer un utilisateur
users-caption = Tous les comptes
users-username = Nom d'utilisateur
users-role = Rôle
users-status = Statut
users-two-step = Connexion en deux étapes
users-sessions = Sessions ouvertes
users-created = Création
users-actions = Actions
users-disabled = Désactivé
users-locked = Verrouillé
users-active = Actif
users-two-step-on = Activée depuis le { $date }
users-two-step-off = Désactivée
users-enable = Réactiver
users-disable = Désactiver
users-reset-two-step = Réinitialiser la connexion en deux étapes
users-reset-two-step-of = du compte { $name }
users-reset-password = Réinitialiser le mot de passe
users-for = du compte { $name }
users-notice-created = Le compte a été créé.
users-notice-disabled = Le compte a été désactivé et ses sessions ont été fermées.
users-notice-enabled = Le compte a été réactivé.
users-notice-reset = Le mot de passe a été réinitialisé et les sessions du compte ont été fermées.
users-notice-two-step-reset = La connexion en deux étapes a été réinitialisée et les sessions du compte ont été fermées. À sa prochaine connexion, la personne configure à nouveau une application si les paramètres l'exigent.
users-own-account = Vous ne pouvez pas désactiver votre propre compte.
users-own-two-step = Pour réinitialiser votre propre application, configurez-en une nouvelle depuis la page de votre compte, ou demandez à un autre administrateur.
users-error-role = Choisissez un rôle
users-initial-password = Mot de passe initial
users-initial-password-hint = De 12 à 128 caractères. Transmettez-le à la personne de manière sûre ; elle pourra le changer dans Compte.
users-initial-password-again = Mot de passe initial, à nouveau
users-password-title = Réinitialiser le mot de passe du compte { $name }
users-password-intro = Toutes les sessions de ce compte sont fermées immédiatement.
users-new-password-hint = De 12 à 128 caractères.

settings-title = Paramètres
settings-saved = Les paramètres ont été enregistrés.
settings-organisation = Nom de l'organisation sur les résumés PDF (facultatif)
settings-organisation-hint = Imprimé sous le titre « Résumé du cas ». Laissez-le vide pour un document neutre.
settings-paper = Format de papier par défaut des résumés
settings-counted = Évaluations prises en compte dans les résultats agrégés
settings-counted-reviewed = Évaluations relues uniquement (recommandé)
settings-counted-submitted = Toutes les évaluations envoyées
settings-k = Taille minimale des groupes pour les chiffres agrégés
settings-k-hint = De 3 à 20. Un chiffre reposant sur moins de cas est masqué. La valeur par défaut est 5 ; ne l'abaissez qu'avec prudence.
settings-language = Langue des pages
settings-language-hint = Pour toute personne qui n'en a pas choisi une sur la page de son compte et, avant la connexion, pour les navigateurs qui ne demandent aucune de ces langues.
settings-sign-in = Connexion et audit
settings-two-step = Qui doit se connecter avec un code d'une application d'authentification
settings-two-step-hint = Un compte concerné qui n'a pas encore configuré d'application est amené à en configurer une juste après son mot de passe, et ne peut rien faire d'autre tant que ce n'est pas fait. Chacun peut en configurer une sur la page de son compte.
settings-full-addresses = Conserver les adresses IP complètes dans le journal d'audit
settings-full-addresses-hint = Désactivé par défaut : le journal ne conserve que le réseau (les trois premières parties d'une adresse IPv4, les trois premiers groupes d'une adresse IPv6), car l'endroit d'où se connecte une personne intervenant sur le terrain ou une survivante peut révéler où elle se trouve. Ne l'activez que pendant l'enquête sur une intrusion.
settings-retention = Conservation
settings-retention-intro = Rien n'est supprimé si vous ne le réglez pas ici. Une exécution quotidienne applique ces règles et inscrit ses décomptes dans le journal d'audit ; les cas effacés sont aussi inscrits dans le registre des effacements, à côté des sauvegardes. Les sessions de connexion expirées sont toujours supprimées.
settings-erase-closed = Effacer les cas fermés ce nombre de mois après leur fermeture (facultatif)
settings-erase-closed-hint = De 6 à 120 mois. Laissez vide pour conserver les cas fermés.
settings-draft-days = Supprimer les brouillons que personne n'a enregistrés depuis ce nombre de jours (facultatif)
settings-draft-days-hint = De 7 à 730 jours. Laissez vide pour conserver les brouillons.
settings-audit-months = Supprimer les entrées du journal d'audit plus anciennes que ce nombre de mois (facultatif)
settings-audit-months-hint = De 12 à 120 mois. Laissez vide pour conserver tout le journal. Les plus anciennes partent en premier, et la chaîne reste vérifiable à partir de la dernière supprimée.
settings-save = Enregistrer les paramètres
settings-next-run = Prochaine application de la conservation
settings-ran = Conservation appliquée : { $cases ->
    [one] { $cases } cas clos effacé
   *[other] { $cases } cas clos effacés
}, { $drafts ->
    [one] { $drafts } brouillon abandonné supprimé
   *[other] { $drafts } brouillons abandonnés supprimés
}, { $sessions ->
    [one] { $sessions } session expirée supprimée
   *[other] { $sessions } sessions expirées supprimées
}, { $audit ->
    [one] { $audit } ancienne entrée du journal d'audit supprimée
   *[other] { $audit } anciennes entrées du journal d'audit supprimées
}.
settings-preview = Avec les paramètres enregistrés, une exécution maintenant effacerait { $cases ->
    [one] { $cases } cas fermé
   *[other] { $cases } cas fermés
} et supprimerait { $drafts ->
    [one] { $drafts } brouillon
   *[other] { $drafts } brouillons
}.
settings-preview-audit = Les entrées d'audit antérieures au { $date } seraient supprimées.
settings-preview-cases = Cas qu'elle effacerait :
settings-apply = Appliquer la conservation maintenant
settings-error-organisation = Nom de l'organisation : { $problem }
settings-error-paper = Choisissez un format de papier
settings-error-counted = Choisissez les évaluations prises en compte dans les agrégats
settings-error-k = Taille minimale des groupes : saisissez un nombre entier de { $min } à { $max }
settings-error-erase = Effacer les cas fermés après : laissez vide, ou saisissez un nombre de mois de { $min } à { $max }
settings-error-drafts = Supprimer les brouillons inchangés après : laissez vide, ou saisissez un nombre de jours de { $min } à { $max }
settings-error-audit = Supprimer les entrées d'audit après : laissez vide, ou saisissez un nombre de mois de { $min } à { $max }
settings-error-language = Choisissez la langue de l'organisation
settings-error-two-step = Choisissez qui doit utiliser la connexion en deux étapes
paper-a4 = A4
paper-letter = Lettre US
choice-TwoStepPolicy-admins = Administrateur·rices
choice-TwoStepPolicy-supervisors = Superviseur·es et administrateur·rices
choice-TwoStepPolicy-everyone = Tout le monde

erase-title = Effacer un cas
erase-done = { $count ->
    [one] Le cas { $code } a été effacé avec { $count } évaluation et ses plans d'action.
   *[other] Le cas { $code } a été effacé avec ses { $count } évaluations et ses plans d'action.
} Sa clé a été détruite : aucune copie de ses données dans ce répertoire de données ne pourra plus être lue.
erase-intro = L'effacement supprime le cas, chacune de ses évaluations et chacun de ses plans d'action, ainsi que sa part dans les résultats agrégés, et détruit la clé avec laquelle ses données étaient chiffrées. Il est irréversible. Le journal d'audit garde une seule entrée : qui a effacé un cas, quand, et la catégorie du motif.
erase-backups = Les sauvegardes faites avant l'effacement contiennent encore le cas jusqu'à ce que leur ancienneté les fasse sortir du répertoire des sauvegardes. La restauration d'une telle sauvegarde l'efface à nouveau, d'après le registre des effacements conservé à côté des sauvegardes.
erase-code = Code du cas
erase-code-hint = Comme K7QM-3XDA-5.
erase-confirm = Saisissez à nouveau le code du cas pour confirmer
erase-reason = Motif de l'effacement
erase-choose-reason = Choisissez un motif
erase-button = Effacer ce cas
erase-error-code = Code du cas : { $problem }
erase-error-confirm = Saisissez à nouveau le même code du cas pour confirmer
erase-error-reason = Choisissez le motif de l'effacement
erase-error-unknown = Aucun cas n'a ce code (il a peut-être déjà été effacé)
choice-ErasureReason-persons-request = À la demande de la personne
choice-ErasureReason-consent-withdrawn = Consentement retiré
choice-ErasureReason-created-in-error = Créé par erreur ou en double
choice-ErasureReason-legal-obligation = Obligation légale ou décision de justice
choice-ErasureReason-retention = Durée de conservation écoulée (automatique)

backups-title = Sauvegardes
backups-where = Emplacement
backups-on-server = sur le serveur
backups-how-often = Fréquence
backups-every = une sauvegarde par période de { $every }, et à la demande
backups-kept = Conservées
backups-newest = les { $keep } plus récentes
backups-key-passphrase = une phrase secrète
backups-key-recipient = une clé publique age
duration-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
duration-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
}
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
backups-key = Chiffrées avec
backups-key-apart = (conservez cette clé à l'écart du serveur et des sauvegardes)
backups-last = Dernière sauvegarde
backups-made-at = Faite le { $at } : { $file },
backups-made-size = { $size }, { $records } enregistrements,
backups-made-took = en { $took } ms (les écritures ont attendu { $waited } ms).
backups-failed = La dernière sauvegarde a échoué
backups-none = Aucune sauvegarde n'a été tentée depuis le démarrage du serveur.
backups-now = Sauvegarder maintenant
backups-files = Sauvegardes conservées
backups-files-none = Aucune pour l'instant.
backups-caption = Fichiers de sauvegarde, du plus récent au plus ancien
backups-file = Fichier
backups-size = Taille
backups-download = Télécharger
backups-how-to = Une sauvegarde téléchargée est chiffrée : elle ne s'ouvre qu'avec la phrase secrète ou le fichier d'identité. Pour en vérifier une, et pour en restaurer une dans un nouveau répertoire de données, utilisez :
backups-not-set-up = Les sauvegardes ne sont pas configurées sur ce serveur (voir le README, « Backups and recovery »). Démarrez-le avec un répertoire de sauvegarde et un fichier contenant la phrase secrète, ou un destinataire age :
backups-stopped = D'ici là, sauvegardez le répertoire de données d'un serveur arrêté avec
backups-notice-made = La sauvegarde a été faite.
backups-notice-failed = La sauvegarde a échoué : voir ci-dessous.
backups-notice-busy = Une sauvegarde est déjà en cours ; rechargez la page dans un instant.

audit-title = Journal d'audit
audit-research = Télécharger l'export pour la recherche
audit-research-note = (une ligne par évaluation et par facteur ; aucun texte libre, mois seulement, clés de cas tirées à nouveau à chaque export ; les téléchargements sont enregistrés ici).
audit-research-wide = La télécharger au format large
audit-research-wide-note = (une ligne par évaluation, une colonne par facteur, comme R ou Stata la chargent).
audit-intro = Du plus récent au plus ancien. Le journal enregistre qui a fait quoi et sur quel enregistrement ; jamais de mots de passe, de notes ni de détails des cas. Chaque entrée porte l'empreinte SHA-256 de l'entrée précédente et la sienne, de sorte qu'une entrée modifiée, supprimée ou insérée après coup rompt la chaîne. Les actions et les détails sont affichés tels qu'ils ont été enregistrés.
audit-broken = Le journal d'audit n'est pas intact à l'entrée { $seq } : { $why }.
audit-checked-before = { $checked ->
    [one] { $checked } entrée précédente est intègre.
   *[other] { $checked } entrées précédentes sont intègres.
}
audit-intact = { $checked ->
    [one] Le journal d'audit est intact : { $checked } entrée vérifiée. L'empreinte de l'entrée la plus récente est
   *[other] Le journal d'audit est intact : { $checked } entrées vérifiées. L'empreinte de l'entrée la plus récente est
}
audit-compare = (comparez-la avec une copie exportée).
audit-verify = Vérifier le journal d'audit
audit-export = Exporter le journal d'audit (JSON Lines, avec les empreintes)
audit-caption = Événements d'audit
audit-time = Heure (UTC)
audit-user = Utilisateur
audit-action = Action
audit-target = Objet
audit-detail = Détail
audit-from = Provenance
audit-outcome = Résultat
audit-older = Entrées plus anciennes
