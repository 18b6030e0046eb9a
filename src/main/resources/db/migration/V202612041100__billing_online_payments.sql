-- billing: prepayment online. The clinic chooses the services an online booking must pay a
-- deposit for, and the payment provider; a patient's payment is a row that follows the
-- provider's payment (created, waiting for the patient, authorized, paid, cancelled, expired),
-- while the money itself goes through the ledger like every other payment.
alter table billing_settings
    add column online_provider text not null default 'NONE' check (online_provider in ('NONE', 'SANDBOX', 'YOOKASSA')),
    -- A visit cancelled at least this many hours before its start gets its prepayment back to
    -- the card it came from; a later cancellation leaves it on the patient's deposit.
    add column prepay_refund_hours int not null default 24 check (prepay_refund_hours between 0 and 720);

create table prepayment_service (
    service_id bigint primary key,
    -- The deposit asked; none means the whole price of the visit's day.
    amount numeric(14,2) check (amount > 0),
    updated_at timestamptz not null default now()
);

create table online_payment (
    id bigserial primary key,
    -- Klinika's key of the payment: the provider's idempotence key and the patient's return link.
    key text not null unique check (key ~ '^[A-Za-z0-9_-]{16,64}$'),
    provider text not null check (provider in ('SANDBOX', 'YOOKASSA')),
    provider_id text unique,
    status text not null check (status in ('CREATED', 'PENDING', 'AUTHORIZED', 'PAID', 'CANCELLED', 'EXPIRED')),
    amount numeric(14,2) not null check (amount > 0),
    currency char(3) not null,
    -- What is paid for: a visit booked online (its deposit), or a package bought online.
    purpose text not null check (purpose in ('VISIT', 'PACKAGE')),
    branch_id bigint not null,
    patient_id bigint not null,
    service_id bigint,
    staff_id bigint,
    starts_at timestamptz,
    package_product_id bigint,
    -- The order's own token: the hold on the visit's time, or the package form's; one payment per order.
    order_token text not null unique,
    appointment_id bigint unique,
    public_code text,
    bill_id bigint references bill (id),
    confirmation_url text,
    -- Why a payment did not end in a visit: TAKEN (the time went meanwhile), DECLINED, EXPIRED.
    outcome text,
    -- Who settles it now: a notification and the patient's return may come at once.
    settling_until timestamptz,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    updated_at timestamptz not null default now(),
    check ((purpose = 'VISIT' and service_id is not null and staff_id is not null and starts_at is not null)
        or (purpose = 'PACKAGE' and package_product_id is not null))
);
create index online_payment_open on online_payment (expires_at) where status in ('CREATED', 'PENDING', 'AUTHORIZED');

-- Money going back to the card a prepayment came from: written with the ledger's refund, sent
-- to the provider (with the row's key as the idempotence key) until it answers.
create table online_refund (
    id bigserial primary key,
    key text not null unique,
    online_payment_id bigint not null references online_payment (id),
    amount numeric(14,2) not null check (amount > 0),
    status text not null check (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
    provider_id text,
    attempts int not null default 0,
    next_at timestamptz not null default now(),
    failure text,
    created_at timestamptz not null default now()
);
create index online_refund_due on online_refund (next_at) where status = 'PENDING';

-- The demo's payment provider: its payments, paid or declined on its own page.
create table sandbox_payment (
    id text primary key,
    idempotence_key text not null unique,
    amount numeric(14,2) not null check (amount > 0),
    currency char(3) not null,
    capture boolean not null,
    status text not null check (status in ('pending', 'waiting_for_capture', 'succeeded', 'canceled')),
    description text not null,
    return_url text not null,
    refunded numeric(14,2) not null default 0,
    created_at timestamptz not null default now()
);
