-- messaging: templates, reminder rules, the outbox, delivery receipts, the inbox, Telegram links, opt-outs.

-- What a message says, per event, channel and language; placeholders in braces ({name}, {date}, ...).
create table message_template (
    id         bigserial primary key,
    event      varchar(30)  not null,
    channel    varchar(10)  not null check (channel in ('SMS', 'EMAIL', 'TELEGRAM')),
    locale     varchar(5)   not null check (locale in ('ru', 'en')),
    subject    varchar(200),
    body       text         not null check (length(body) between 1 and 4000),
    version    integer      not null default 0,
    updated_at timestamptz  not null default now(),
    updated_by varchar(50),
    unique (event, channel, locale)
);

insert into message_template (event, channel, locale, subject, body) values
('REMINDER', 'SMS', 'ru', null, '{name}, ждём вас {date} в {time}, {staff}. Подтвердить или отменить: {link}'),
('REMINDER', 'SMS', 'en', null, '{name}, see you on {date} at {time}, {staff}. Confirm or cancel: {link}'),
('REMINDER', 'TELEGRAM', 'ru', null, '{name}, напоминаем о записи: {date} в {time}, {service} ({staff}). {branch}, {address}.
Подтвердить или отменить: {link}'),
('REMINDER', 'TELEGRAM', 'en', null, '{name}, a reminder of your visit: {date} at {time}, {service} ({staff}). {branch}, {address}.
Confirm or cancel: {link}'),
('REMINDER', 'EMAIL', 'ru', 'Напоминание о записи {date} в {time}', 'Здравствуйте, {name}!

Напоминаем о записи: {date} в {time}, {service}, специалист {staff}.
Адрес: {branch}, {address}.

Подтвердить или отменить запись: {link}

{clinic}'),
('REMINDER', 'EMAIL', 'en', 'Your visit on {date} at {time}', 'Hello {name},

This is a reminder of your visit: {date} at {time}, {service} with {staff}.
Address: {branch}, {address}.

Confirm or cancel: {link}

{clinic}'),
('BOOKED', 'SMS', 'ru', null, '{name}, вы записаны на {date} в {time}, {staff}, {address}. {link}'),
('BOOKED', 'SMS', 'en', null, '{name}, you are booked for {date} at {time}, {staff}, {address}. {link}'),
('BOOKED', 'TELEGRAM', 'ru', null, '{name}, вы записаны: {date} в {time}, {service} ({staff}). {branch}, {address}.
Подтвердить или отменить: {link}'),
('BOOKED', 'TELEGRAM', 'en', null, '{name}, you are booked: {date} at {time}, {service} ({staff}). {branch}, {address}.
Confirm or cancel: {link}'),
('BOOKED', 'EMAIL', 'ru', 'Вы записаны: {date} в {time}', 'Здравствуйте, {name}!

Вы записаны: {date} в {time}, {service}, специалист {staff}.
Адрес: {branch}, {address}.

Подтвердить или отменить запись: {link}

{clinic}'),
('BOOKED', 'EMAIL', 'en', 'You are booked: {date} at {time}', 'Hello {name},

You are booked: {date} at {time}, {service} with {staff}.
Address: {branch}, {address}.

Confirm or cancel: {link}

{clinic}'),
('THANK_YOU_FIRST_VISIT', 'SMS', 'ru', null, '{name}, спасибо, что выбрали {clinic}! Будем рады видеть вас снова.'),
('THANK_YOU_FIRST_VISIT', 'SMS', 'en', null, '{name}, thank you for choosing {clinic}! We will be glad to see you again.'),
('THANK_YOU_FIRST_VISIT', 'TELEGRAM', 'ru', null, '{name}, спасибо, что выбрали {clinic}! Будем рады видеть вас снова.'),
('THANK_YOU_FIRST_VISIT', 'TELEGRAM', 'en', null, '{name}, thank you for choosing {clinic}! We will be glad to see you again.'),
('THANK_YOU_FIRST_VISIT', 'EMAIL', 'ru', 'Спасибо за визит', 'Здравствуйте, {name}!

Спасибо, что выбрали {clinic}. Будем рады видеть вас снова.'),
('THANK_YOU_FIRST_VISIT', 'EMAIL', 'en', 'Thank you for your visit', 'Hello {name},

Thank you for choosing {clinic}. We will be glad to see you again.'),
('SLOT_OFFERED', 'SMS', 'ru', null, '{name}, освободилось время: {date} в {time}, {service}, {staff}. Чтобы записаться, ответьте на это сообщение или позвоните в {branch}.'),
('SLOT_OFFERED', 'SMS', 'en', null, '{name}, a time is free: {date} at {time}, {service}, {staff}. Reply to this message or call {branch} to book it.'),
('SLOT_OFFERED', 'TELEGRAM', 'ru', null, '{name}, освободилось время: {date} в {time}, {service} ({staff}). Чтобы записаться, ответьте на это сообщение.'),
('SLOT_OFFERED', 'TELEGRAM', 'en', null, '{name}, a time is free: {date} at {time}, {service} ({staff}). Reply to this message to book it.'),
('SLOT_OFFERED', 'EMAIL', 'ru', 'Освободилось время {date} в {time}', 'Здравствуйте, {name}!

Освободилось время: {date} в {time}, {service}, специалист {staff}. Чтобы записаться, ответьте на это письмо или позвоните в {branch}.'),
('SLOT_OFFERED', 'EMAIL', 'en', 'A time is free: {date} at {time}', 'Hello {name},

A time is free: {date} at {time}, {service} with {staff}. Reply to this email or call {branch} to book it.');

-- When reminders go: the day before at a time, or some minutes before; for all services or a category.
create table reminder_rule (
    id             bigserial primary key,
    kind           varchar(20) not null check (kind in ('DAY_BEFORE', 'MINUTES_BEFORE')),
    at_time        time,
    minutes_before integer,
    category_id    bigint references service_category (id),
    enabled        boolean     not null default true,
    check ((kind = 'DAY_BEFORE' and at_time is not null and minutes_before is null)
        or (kind = 'MINUTES_BEFORE' and at_time is null and minutes_before between 15 and 10080))
);
insert into reminder_rule (kind, at_time, minutes_before) values ('DAY_BEFORE', '12:00', null), ('MINUTES_BEFORE', null, 120);

-- The clinic's sending policy: quiet hours in the patient's zone, channels in order of preference,
-- the language of messages, and whether a booking is acknowledged at once.
create table messaging_policy (
    id            integer     primary key default 1 check (id = 1),
    quiet_from    time        not null default '21:00',
    quiet_to      time        not null default '09:00',
    channel_order varchar(60) not null default 'TELEGRAM,SMS,EMAIL',
    locale        varchar(5)  not null default 'ru' check (locale in ('ru', 'en')),
    send_booked   boolean     not null default true,
    version       integer     not null default 0
);
insert into messaging_policy (id) values (1);

-- The key that signs confirm, cancel and unsubscribe links, shared by every node (made at first start
-- unless klinika.messaging.link-secret is set).
create table messaging_secret (
    id     integer primary key default 1 check (id = 1),
    secret bytea   not null
);

-- Every outgoing message, written in the transaction of its cause. Workers claim due rows with
-- FOR UPDATE SKIP LOCKED and a lease (locked_until); a node that dies mid-send leaves a lease that
-- runs out, and the row is sent again by another.
create table outbox_message (
    id              bigserial primary key,
    idempotency_key varchar(200) not null unique,
    patient_id      bigint references patient (id),
    appointment_id  bigint references appointment (id),
    purpose         varchar(12)  not null check (purpose in ('REMINDER', 'SERVICE', 'MARKETING', 'REPLY')),
    event           varchar(30)  not null,
    channel         varchar(10) check (channel in ('SMS', 'EMAIL', 'TELEGRAM')),
    recipient       varchar(254),
    subject         varchar(300),
    body            text         not null,
    due_at          timestamptz  not null,
    status          varchar(12)  not null check (status in ('PENDING', 'SENDING', 'SENT', 'DELIVERED', 'UNDELIVERED',
                                                          'FAILED', 'SKIPPED', 'WITHDRAWN')),
    attempts        integer      not null default 0,
    locked_until    timestamptz,
    provider_id     varchar(100),
    error           varchar(500),
    created_at      timestamptz  not null default now(),
    created_by      varchar(50),
    sent_at         timestamptz,
    delivered_at    timestamptz
);
create index outbox_message_due_idx on outbox_message (due_at) where status in ('PENDING', 'SENDING');
create index outbox_message_patient_idx on outbox_message (patient_id, created_at desc);
create index outbox_message_appointment_idx on outbox_message (appointment_id) where appointment_id is not null;
create index outbox_message_created_idx on outbox_message (created_at desc, id desc);

-- The provider's id of every part (an SMS of three segments has three), for delivery receipts.
create table outbox_part (
    channel     varchar(10)  not null,
    provider_id varchar(100) not null,
    message_id  bigint       not null references outbox_message (id) on delete cascade,
    primary key (channel, provider_id)
);

-- Delivery receipts as they came, once per provider id: an SMSC may report delivery before the
-- worker has recorded the send, so a receipt waits here and is applied when the parts are written.
create table outbox_receipt (
    channel     varchar(10)  not null,
    provider_id varchar(100) not null,
    delivered   boolean      not null,
    error       varchar(100),
    received_at timestamptz  not null default now(),
    primary key (channel, provider_id)
);

-- A new due message wakes the workers of every node at once (delivered on commit).
create function notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('klinika_outbox', '');
    return null;
end
$$;
create trigger outbox_message_added after insert on outbox_message
    for each statement execute function notify_outbox();

-- Incoming SMS, Telegram messages and email replies, once per provider's event id.
create table inbound_message (
    id                bigserial primary key,
    channel           varchar(10)  not null check (channel in ('SMS', 'EMAIL', 'TELEGRAM')),
    provider_event_id varchar(200) not null,
    sender            varchar(254) not null,
    patient_id        bigint references patient (id),
    body              text         not null,
    received_at       timestamptz  not null default now(),
    handled_at        timestamptz,
    handled_by        varchar(50),
    unique (channel, provider_event_id)
);
create index inbound_message_received_idx on inbound_message (received_at desc, id desc);
create index inbound_message_patient_idx on inbound_message (patient_id, received_at desc);

-- Telegram chats linked to patients by a deep link with a one-time token (/start <token>).
create table telegram_chat (
    chat_id    bigint primary key,
    patient_id bigint      not null references patient (id),
    linked_at  timestamptz not null default now()
);
create index telegram_chat_patient_idx on telegram_chat (patient_id);
create table telegram_link_token (
    token      varchar(40) primary key,
    patient_id bigint      not null references patient (id),
    created_at timestamptz not null default now(),
    used_at    timestamptz
);

-- A patient who said STOP (marketing) or asked for nothing at all (ALL, reminders too).
create table message_opt_out (
    patient_id bigint      not null references patient (id),
    scope      varchar(10) not null check (scope in ('MARKETING', 'ALL')),
    at         timestamptz not null default now(),
    via        varchar(30) not null,
    primary key (patient_id, scope)
);

-- Long polling of the Telegram Bot API (when no webhook can reach Klinika): the next update to ask for.
create table telegram_poll_state (
    id          integer primary key default 1 check (id = 1),
    next_offset bigint  not null default 0
);
insert into telegram_poll_state (id) values (1);
