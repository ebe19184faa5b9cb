# Inicio de sesión, segundo paso y página de la cuenta.

sign-in-title = Iniciar sesión
sign-in-failed-title = No se pudo iniciar sesión
sign-in-failed = El nombre de usuario o la contraseña no son correctos, o la cuenta está bloqueada o desactivada. Tras 6 intentos fallidos, la cuenta se bloquea durante 30 minutos.
sign-in-throttled = Demasiados inicios de sesión fallidos desde esta red. Espera 15 minutos e inténtalo de nuevo.
field-username = Nombre de usuario
field-password = Contraseña
sign-in-button = Iniciar sesión

code-title = Iniciar sesión: código
code-heading = Escribe el código de tu aplicación
code-refused-title = El código no se aceptó
code-intro = La contraseña es correcta. Abre la aplicación de autenticación que configuraste para esta cuenta y escribe los seis dígitos que muestra para exit-factors.
code-field = Código
code-hint = Seis dígitos. ¿Perdiste el teléfono? Escribe en su lugar uno de tus códigos de recuperación (xxxx-xxxx-xxxx-xxxx); cada uno sirve una sola vez.
code-wrong = El código no es correcto. Escribe los seis dígitos que muestra ahora tu aplicación de autenticación, o uno de tus códigos de recuperación. Tras 6 intentos fallidos, la cuenta se bloquea durante 30 minutos.
code-replayed = Ese código ya se usó. Espera a que tu aplicación muestre un código nuevo (cada 30 segundos) y escribe ese.
code-start-again = Empezar de nuevo con otra cuenta

account-title = Tu cuenta
account-changed-others = Tu contraseña se cambió. Se cerraron tus otras sesiones.
account-changed = Tu contraseña se cambió. Tus otras sesiones siguen abiertas.
sessions-ended = { $count ->
    [one] Se cerró { $count } sesión más.
   *[other] Se cerraron { $count } sesiones más.
}
account-language-saved = Se guardó tu idioma.
account-username = Nombre de usuario
account-role = Rol
account-two-step = Inicio de sesión en dos pasos
account-two-step-on = Activado desde el { $date }: al iniciar sesión se pide el código de tu aplicación de autenticación. { $left ->
    [one] { $left } código de recuperación sin usar.
   *[other] { $left } códigos de recuperación sin usar.
}
account-two-step-off = Desactivado: tu contraseña basta para abrir tu cuenta.
account-two-step-required = Tu organización lo exige para tu rol.
account-two-step-manage = Gestionar el inicio de sesión en dos pasos
account-two-step-set-up = Configurar el inicio de sesión en dos pasos
account-language = Idioma
account-language-legend = Idioma de las páginas
account-language-hint = Las páginas, los mensajes y tus resúmenes en PDF. La copia para la usuaria se puede seguir imprimiendo en su propio idioma.
account-language-default = El predeterminado de la organización ({ $language })
account-language-save = Guardar idioma
account-sessions = Dónde has iniciado sesión
account-sessions-caption = Tus sesiones activas
account-sessions-browser = Navegador
account-sessions-started = Inicio de sesión
account-sessions-last = Última actividad
account-sessions-this = (esta)
account-sessions-unknown = Navegador desconocido
account-sessions-question = ¿No reconoces alguna, o dejaste una abierta en un ordenador compartido?
account-sessions-end = Cerrar todas las demás sesiones
account-password = Cambiar la contraseña
field-current-password = Contraseña actual
field-new-password = Contraseña nueva
field-new-password-hint = De 12 a 128 caracteres, difícil de adivinar, sin tu nombre de usuario. Unas cuantas palabras sin relación entre sí forman una buena contraseña.
field-confirm-password = Repite la contraseña nueva
account-end-others = Cerrar también mis otras sesiones
account-password-button = Cambiar la contraseña
error-current-password = Tu contraseña actual no es correcta
error-passwords-differ = Las dos contraseñas no coinciden
error-password-short = Contraseña: usa al menos 12 caracteres
error-password-long = Contraseña: usa como máximo 128 caracteres
error-password-username = Contraseña: no pongas tu nombre de usuario en la contraseña
error-password-guessable = Contraseña: es demasiado fácil de adivinar. Añade una o dos palabras que no tengan nada que ver entre sí, o usa una frase más larga.

two-step-title = Inicio de sesión en dos pasos
two-step-required = Tu organización pide a las cuentas como la tuya que inicien sesión con un código de una aplicación de autenticación además de la contraseña. Configúrala ahora para continuar: lleva un minuto.
two-step-intro = Con el inicio de sesión en dos pasos, una contraseña robada o adivinada no basta para abrir los casos: para iniciar sesión también hace falta el código de seis dígitos que muestra una aplicación en tu teléfono (por ejemplo FreeOTP, Aegis, Google Authenticator o Microsoft Authenticator). La aplicación funciona sin conexión; no se envía nada a nadie.
two-step-status-on = El inicio de sesión en dos pasos está activado en tu cuenta desde el { $date }. { $left ->
    [one] { $left } de tus códigos de recuperación está sin usar.
   *[other] { $left } de tus códigos de recuperación están sin usar.
}
two-step-status-off = El inicio de sesión en dos pasos está desactivado en tu cuenta.
two-step-add = 1. Añade la cuenta a tu aplicación
two-step-scan = En la aplicación, elige añadir una cuenta y escanea este código:
two-step-qr-label = Código QR para añadir esta cuenta a una aplicación de autenticación
two-step-type-key = Si no puedes escanearlo, elige escribir una clave e introduce esta (basada en el tiempo, 6 dígitos):
two-step-confirm-heading = 2. Escribe el código que muestra la aplicación
two-step-code-field = Código de la aplicación
two-step-code-hint = Seis dígitos. Aparece uno nuevo cada 30 segundos.
two-step-turn-on = Activar el inicio de sesión en dos pasos
two-step-code-wrong = El código no coincide. Escribe los seis dígitos que la aplicación muestra ahora para exit-factors; si sigue fallando, comprueba que la hora del teléfono se ajusta automáticamente.
two-step-new-app-hint = ¿Cambiaste de teléfono o te quedan pocos códigos de recuperación? Configura la aplicación de nuevo: recibes diez códigos de recuperación nuevos, y la aplicación y los códigos anteriores dejan de funcionar cuando se confirma la nueva.
two-step-new-app = Configurar una aplicación nueva
two-step-set-up = Configurar una aplicación de autenticación
two-step-back = Volver a tu cuenta
recovery-title = Tus códigos de recuperación
recovery-heading = El inicio de sesión en dos pasos está activado
recovery-notice = A partir de ahora, al iniciar sesión se pide el código de tu aplicación después de la contraseña.
recovery-intro = Si pierdes el teléfono, cada uno de estos códigos te permite iniciar sesión una vez en lugar del código de la aplicación. Solo se muestran ahora. Imprímelos o anótalos y guárdalos en un lugar seguro, lejos del teléfono. No los guardes en el ordenador compartido de la oficina.
recovery-run-out = Si se te acaban o también los pierdes, configura la aplicación de nuevo desde la página de tu cuenta, o pide a una persona administradora que restablezca tu inicio de sesión en dos pasos.
recovery-continue = Continuar

setup-title = Configuración inicial
setup-heading = Crear la primera cuenta de administración
setup-intro = Este enlace funciona una sola vez, mientras este servidor esté en marcha. La cuenta que crees aquí gestiona todas las demás.
setup-username-hint = De 3 a 32 caracteres: letras a-z, dígitos, '.', '_' o '-'. No tu nombre completo.
setup-password-hint = De 12 a 128 caracteres, difícil de adivinar, sin tu nombre de usuario.
setup-password-again = Repite la contraseña
setup-button = Crear la cuenta de administración
error-username-length = Nombre de usuario: un nombre de usuario tiene de 3 a 32 caracteres
error-username-characters = Nombre de usuario: un nombre de usuario empieza por una letra y solo usa letras a-z, dígitos, '.', '_' o '-'
error-username-taken = Ese nombre de usuario ya está en uso
