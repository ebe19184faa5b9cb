# Las páginas de administración: usuarios, ajustes, conservación, copias de seguridad, registro de auditoría, supresión.

users-title = Usuarios
users-create = Crear usuario
users-caption = Todas las cuentas
users-username = Nombre de usuario
users-role = Rol
users-status = Estado
users-two-step = Inicio de sesión en dos pasos
users-sessions = Sesiones abiertas
users-created = Creación
users-actions = Acciones
users-disabled = Desactivada
users-locked = Bloqueada
users-active = Activa
users-two-step-on = Activado desde el { $date }
users-two-step-off = Desactivado
users-enable = Reactivar
users-disable = Desactivar
users-reset-two-step = Restablecer el inicio de sesión en dos pasos
users-reset-two-step-of = de { $name }
users-reset-password = Restablecer la contraseña
users-for = de { $name }
users-notice-created = Se creó la cuenta.
users-notice-disabled = Se desactivó la cuenta y se cerraron sus sesiones.
users-notice-enabled = Se reactivó la cuenta.
users-notice-reset = Se restableció la contraseña y se cerraron las sesiones de la cuenta.
users-notice-two-step-reset = Se restableció el inicio de sesión en dos pasos y se cerraron las sesiones de la cuenta. En su próximo inicio de sesión, la persona vuelve a configurar una aplicación si los ajustes lo exigen.
users-own-account = No puedes desactivar tu propia cuenta.
users-own-two-step = Para restablecer tu propia aplicación, configura una nueva desde la página de tu cuenta, o pídeselo a otra persona administradora.
users-error-role = Elige un rol
users-initial-password = Contraseña inicial
users-initial-password-hint = De 12 a 128 caracteres. Entrégasela a la persona de forma segura; puede cambiarla en Cuenta.
users-initial-password-again = Repite la contraseña inicial
users-password-title = Restablecer la contraseña de { $name }
users-password-intro = Todas las sesiones de esta cuenta se cierran de inmediato.
users-new-password-hint = De 12 a 128 caracteres.

settings-title = Ajustes
settings-saved = Se guardaron los ajustes.
settings-organisation = Nombre de la organización en los resúmenes en PDF (opcional)
settings-organisation-hint = Se imprime bajo el título «Resumen del caso». Déjalo vacío para un documento neutro.
settings-paper = Tamaño de papel predeterminado de los resúmenes
settings-counted = Qué valoraciones cuentan en los resultados agregados
settings-counted-reviewed = Solo las valoraciones revisadas (recomendado)
settings-counted-submitted = Todas las valoraciones enviadas
settings-k = Tamaño mínimo de grupo para las cifras agregadas
settings-k-hint = De 3 a 20. Se oculta toda cifra basada en menos casos. El valor predeterminado es 5; bájalo solo con cuidado.
settings-language = Idioma de las páginas
settings-language-hint = Para quien no haya elegido uno en la página de su cuenta y, antes de iniciar sesión, para los navegadores que no piden ninguno de estos idiomas.
settings-sign-in = Inicio de sesión y auditoría
settings-two-step = Quién debe iniciar sesión con un código de una aplicación de autenticación
settings-two-step-hint = Una cuenta afectada que aún no haya configurado una aplicación pasa a configurarla justo después de la contraseña, y no puede hacer nada más hasta haberlo hecho. Cualquiera puede configurar una en la página de su cuenta.
settings-full-addresses = Guardar las direcciones IP completas en el registro de auditoría
settings-full-addresses-hint = Desactivado por defecto: el registro guarda solo la red (las tres primeras partes de una dirección IPv4, los tres primeros grupos de una IPv6), porque el lugar desde el que se conecta una persona que trabaja sobre el terreno o una superviviente puede revelar dónde está. Actívalo solo mientras investigas una intrusión.
settings-retention = Conservación
settings-retention-intro = No se elimina nada salvo que lo configures aquí. Una ejecución diaria aplica estas reglas y anota sus recuentos en el registro de auditoría; los casos suprimidos pasan también al registro de supresiones, junto a las copias de seguridad. Las sesiones caducadas se eliminan siempre.
settings-erase-closed = Suprimir los casos cerrados este número de meses después del cierre (opcional)
settings-erase-closed-hint = De 6 a 120 meses. Déjalo vacío para conservar los casos cerrados.
settings-draft-days = Eliminar los borradores que nadie haya guardado en este número de días (opcional)
settings-draft-days-hint = De 7 a 730 días. Déjalo vacío para conservar los borradores.
settings-audit-months = Eliminar las entradas del registro de auditoría con más de este número de meses (opcional)
settings-audit-months-hint = De 12 a 120 meses. Déjalo vacío para conservar todo el registro. Las más antiguas se eliminan primero, y la cadena sigue siendo verificable a partir de la última eliminada.
settings-save = Guardar ajustes
settings-next-run = Próxima aplicación de la conservación
settings-ran = Conservación aplicada: { $cases ->
    [one] { $cases } caso cerrado suprimido
   *[other] { $cases } casos cerrados suprimidos
}, { $drafts ->
    [one] { $drafts } borrador sin tocar eliminado
   *[other] { $drafts } borradores sin tocar eliminados
}, { $sessions ->
    [one] { $sessions } sesión caducada eliminada
   *[other] { $sessions } sesiones caducadas eliminadas
}, { $audit ->
    [one] { $audit } entrada antigua del registro de auditoría eliminada
   *[other] { $audit } entradas antiguas del registro de auditoría eliminadas
}.
settings-preview = Con los ajustes guardados, una ejecución ahora suprimiría { $cases ->
    [one] { $cases } caso cerrado
   *[other] { $cases } casos cerrados
} y eliminaría { $drafts ->
    [one] { $drafts } borrador
   *[other] { $drafts } borradores
}.
settings-preview-audit = Se eliminarían las entradas de auditoría anteriores al { $date }.
settings-preview-cases = Casos que suprimiría:
settings-apply = Aplicar la conservación ahora
settings-error-organisation = Nombre de la organización: { $problem }
settings-error-paper = Elige un tamaño de papel
settings-error-counted = Elige qué valoraciones cuentan en los agregados
settings-error-k = Tamaño mínimo de grupo: introduce un número entero de { $min } a { $max }
settings-error-erase = Suprimir los casos cerrados después de: déjalo vacío o introduce un número de meses de { $min } a { $max }
settings-error-drafts = Eliminar los borradores sin tocar después de: déjalo vacío o introduce un número de días de { $min } a { $max }
settings-error-audit = Eliminar las entradas de auditoría después de: déjalo vacío o introduce un número de meses de { $min } a { $max }
settings-error-language = Elige el idioma de la organización
settings-error-two-step = Elige quién debe usar el inicio de sesión en dos pasos
paper-a4 = A4
paper-letter = Carta (EE. UU.)
choice-TwoStepPolicy-admins = Administradores/as
choice-TwoStepPolicy-supervisors = Supervisores/as y administradores/as
choice-TwoStepPolicy-everyone = Todo el mundo

erase-title = Suprimir un caso
erase-done = { $count ->
    [one] El caso { $code } se suprimió junto con { $count } valoración y sus planes de acción.
   *[other] El caso { $code } se suprimió junto con sus { $count } valoraciones y sus planes de acción.
} Su clave se destruyó: ninguna copia de sus datos en este directorio de datos podrá volver a leerse.
erase-intro = La supresión elimina el caso, todas sus valoraciones y planes de acción y su parte en los resultados agregados, y destruye la clave con la que se cifraron sus datos. No se puede deshacer. El registro de auditoría conserva una sola entrada: quién suprimió un caso, cuándo y la categoría del motivo.
erase-backups = Las copias de seguridad hechas antes de la supresión siguen conteniendo el caso hasta que, por antigüedad, salen del directorio de copias de seguridad. Al restaurar una de esas copias, el caso se vuelve a suprimir a partir del registro de supresiones que se guarda junto a las copias de seguridad.
erase-code = Código del caso
erase-code-hint = Como K7QM-3XDA-5.
erase-confirm = Escribe de nuevo el código del caso para confirmar
erase-reason = Motivo de la supresión
erase-choose-reason = Elige un motivo
erase-button = Suprimir este caso
erase-error-code = Código del caso: { $problem }
erase-error-confirm = Escribe de nuevo el mismo código del caso para confirmar
erase-error-reason = Elige el motivo de la supresión
erase-error-unknown = Ningún caso tiene este código (puede que ya se haya suprimido)
choice-ErasureReason-persons-request = A petición de la persona
choice-ErasureReason-consent-withdrawn = Consentimiento retirado
choice-ErasureReason-created-in-error = Creado por error o duplicado
choice-ErasureReason-legal-obligation = Obligación legal u orden judicial
choice-ErasureReason-retention = Plazo de conservación vencido (automático)

backups-title = Copias de seguridad
backups-where = Dónde
backups-on-server = en el servidor
backups-how-often = Frecuencia
backups-every = cada { $every }, y cuando se solicite
backups-kept = Se conservan
backups-newest = las { $keep } más recientes
backups-key-passphrase = una frase de contraseña
backups-key-recipient = una clave pública age
duration-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
duration-hours = { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}
duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
backups-key = Cifradas con
backups-key-apart = (guarda esta clave aparte del servidor y de las copias de seguridad)
backups-last = Última copia de seguridad
backups-made-at = Hecha el { $at }: { $file },
backups-made-size = { $size }, { $records } registros,
backups-made-took = en { $took } ms (las escrituras esperaron { $waited } ms).
backups-failed = La última copia de seguridad falló
backups-none = No se ha intentado ninguna copia de seguridad desde que se inició el servidor.
backups-now = Hacer una copia de seguridad ahora
backups-files = Copias de seguridad conservadas
backups-files-none = Ninguna todavía.
backups-caption = Archivos de copia de seguridad, del más reciente al más antiguo
backups-file = Archivo
backups-size = Tamaño
backups-download = Descargar
backups-how-to = Una copia de seguridad descargada está cifrada: solo se abre con la frase de contraseña o el archivo de identidad. Para verificar una, y para restaurarla en un nuevo directorio de datos, usa:
backups-not-set-up = Las copias de seguridad no están configuradas en este servidor (consulta el README, «Backups and recovery»). Inícialo con un directorio de copias de seguridad y un archivo con la frase de contraseña o un destinatario de age:
backups-stopped = Mientras tanto, haz una copia de seguridad del directorio de datos de un servidor detenido con
backups-notice-made = Se hizo la copia de seguridad.
backups-notice-failed = La copia de seguridad falló: mira más abajo.
backups-notice-busy = Ya se está haciendo una copia de seguridad; recarga la página en un momento.

audit-title = Registro de auditoría
audit-research = Descargar la exportación para investigación
audit-research-note = (una fila por valoración y factor; sin texto libre, solo meses, claves de caso generadas de nuevo en cada exportación; las descargas quedan registradas aquí).
audit-research-wide = Descárgala en formato ancho
audit-research-wide-note = (una fila por valoración, una columna por factor, como la cargan R o Stata).
audit-intro = Primero las más recientes. El registro anota quién hizo qué y sobre qué elemento; nunca contraseñas, notas ni detalles de los casos. Cada entrada lleva el hash SHA-256 de la entrada anterior y el suyo propio, de modo que una entrada modificada, eliminada o insertada después rompe la cadena. Las acciones y los detalles se muestran tal como se registraron.
audit-broken = El registro de auditoría no está íntegro en la entrada { $seq }: { $why }.
audit-checked-before = { $checked ->
    [one] { $checked } entrada anterior es correcta.
   *[other] { $checked } entradas anteriores son correctas.
}
audit-intact = { $checked ->
    [one] El registro de auditoría está íntegro: { $checked } entrada comprobada. El hash de la entrada más reciente es
   *[other] El registro de auditoría está íntegro: { $checked } entradas comprobadas. El hash de la entrada más reciente es
}
audit-compare = (compáralo con una copia exportada).
audit-verify = Verificar el registro de auditoría
audit-export = Exportar el registro de auditoría (JSON Lines, con hashes)
audit-caption = Eventos de auditoría
audit-time = Hora (UTC)
audit-user = Usuario
audit-action = Acción
audit-target = Objeto
audit-detail = Detalle
audit-from = Origen
audit-outcome = Resultado
audit-older = Entradas anteriores
