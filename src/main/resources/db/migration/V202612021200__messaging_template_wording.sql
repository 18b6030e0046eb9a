-- Russian texts that put the clinic's or branch's name where Russian wants another case ("спасибо, что
-- выбрали Клиника «Движение»", "позвоните в Движение на Тверской"): the name now stands where it reads
-- in the nominative, as a signature. Only templates nobody has edited (version 0) change.
update message_template set body = '{name}, спасибо за визит! Будем рады видеть вас снова. {clinic}'
 where event = 'THANK_YOU_FIRST_VISIT' and channel in ('SMS', 'TELEGRAM') and locale = 'ru' and version = 0;
update message_template set body = 'Здравствуйте, {name}!

Спасибо за визит. Будем рады видеть вас снова.

{clinic}'
 where event = 'THANK_YOU_FIRST_VISIT' and channel = 'EMAIL' and locale = 'ru' and version = 0;
update message_template
   set body = replace(body, 'или позвоните в {branch}.', 'или позвоните нам ({branch}).')
 where event = 'SLOT_OFFERED' and locale = 'ru' and version = 0;
