-- messaging: the patient's message when their package is about to end with visits left.
insert into message_template (event, channel, locale, subject, body) values
('PACKAGE_EXPIRING', 'SMS', 'ru', null, '{name}, абонемент «{package}» действует до {date}, осталось {left}. Запишитесь, чтобы не потерять визиты: {clinic}.'),
('PACKAGE_EXPIRING', 'SMS', 'en', null, '{name}, your package "{package}" is valid until {date}, {left} left. Book now not to lose them: {clinic}.'),
('PACKAGE_EXPIRING', 'TELEGRAM', 'ru', null, '{name}, абонемент «{package}» действует до {date}, осталось {left}. Запишитесь, чтобы не потерять визиты.'),
('PACKAGE_EXPIRING', 'TELEGRAM', 'en', null, '{name}, your package "{package}" is valid until {date}, {left} left. Book now not to lose them.'),
('PACKAGE_EXPIRING', 'EMAIL', 'ru', 'Абонемент заканчивается {date}', 'Здравствуйте, {name}!

Абонемент «{package}» действует до {date}, в нём осталось {left}. Запишитесь, чтобы не потерять оплаченные визиты.

{clinic}'),
('PACKAGE_EXPIRING', 'EMAIL', 'en', 'Your package ends on {date}', 'Hello {name},

Your package "{package}" is valid until {date}, {left} left. Book now not to lose what you paid for.

{clinic}');
