-- messaging: the consultant's one-click message to a patient whose pathway waits for its next step.
insert into message_template (event, channel, locale, subject, body) values
('PATHWAY_NEXT', 'SMS', 'ru', null, '{name}, напоминаем о вашем лечении: {next}. Запишитесь на следующий сеанс: {clinic}.'),
('PATHWAY_NEXT', 'SMS', 'en', null, '{name}, a reminder of your treatment: {next}. Book your next session: {clinic}.'),
('PATHWAY_NEXT', 'TELEGRAM', 'ru', null, '{name}, напоминаем о вашем лечении: {next}. Запишитесь на следующий сеанс, ответьте на это сообщение или позвоните нам.'),
('PATHWAY_NEXT', 'TELEGRAM', 'en', null, '{name}, a reminder of your treatment: {next}. Book your next session: reply here or call us.'),
('PATHWAY_NEXT', 'EMAIL', 'ru', 'Ваше лечение: следующий шаг', 'Здравствуйте, {name}!

Напоминаем о назначенном вам лечении: {next}. Запишитесь на следующий сеанс, чтобы курс дал результат.

{clinic}'),
('PATHWAY_NEXT', 'EMAIL', 'en', 'Your treatment: the next step', 'Hello {name},

A reminder of the treatment prescribed to you: {next}. Book your next session for the course to work.

{clinic}');

