-- billing: fiscal receipts (54-FZ). Every payment and refund taken while a register is
-- connected writes its receipt in the same transaction, as the register will receive it;
-- a worker sends it, asks for its fiscal attributes, and retries what failed on the way.

alter table billing_settings
    -- NONE: no online register (the clinic prints on its own), ATOL: ATOL Online, API v5 (FFD 1.2).
    add column fiscal_mode text not null default 'NONE' check (fiscal_mode in ('NONE', 'ATOL')),
    -- The taxation system (tag 1055) in ATOL's words.
    add column taxation text not null default 'usn_income'
        check (taxation in ('osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent')),
    -- VAT of services and of goods (tag 1199); medical services are exempt (Tax Code art. 149), hence none.
    add column services_vat text not null default 'none'
        check (services_vat in ('none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22')),
    add column goods_vat text not null default 'none'
        check (goods_vat in ('none', 'vat0', 'vat5', 'vat7', 'vat10', 'vat20', 'vat22'));

create table fiscal_receipt (
    id bigserial primary key,
    -- The ledger batch the receipt registers: one receipt per payment or refund.
    batch_id uuid not null,
    operation text not null check (operation in ('sell', 'sell_refund')),
    bill_id bigint references bill (id),
    patient_id bigint not null,
    branch_id bigint not null,
    total numeric(14,2) not null check (total > 0),
    -- The receipt object as the register receives it, fixed when the money moved.
    document jsonb not null,
    -- PENDING: to send; WAITING: accepted, fiscal attributes not yet known; DONE: registered; FAILED: refused.
    status text not null check (status in ('PENDING', 'WAITING', 'DONE', 'FAILED')),
    provider_uuid text check (length(provider_uuid) <= 100),
    attempts int not null default 0,
    next_at timestamptz not null,
    locked_until timestamptz,
    error text check (length(error) <= 500),
    -- The register's answer: fn_number, fiscal_document_number, fiscal_document_attribute, receipt_datetime...
    fiscal jsonb,
    created_at timestamptz not null,
    registered_at timestamptz,
    unique (batch_id),
    check ((status = 'DONE') = (fiscal is not null))
);
create index fiscal_receipt_due_idx on fiscal_receipt (next_at) where status in ('PENDING', 'WAITING');
create index fiscal_receipt_bill_idx on fiscal_receipt (bill_id) where bill_id is not null;
create index fiscal_receipt_patient_idx on fiscal_receipt (patient_id, created_at desc);

create view billing_fiscal_receipt_v as
select id, batch_id, operation, bill_id, patient_id, branch_id, total, status, provider_uuid, error,
       fiscal ->> 'fn_number' as fn_number, fiscal ->> 'fiscal_document_number' as fiscal_document_number,
       fiscal ->> 'fiscal_document_attribute' as fiscal_document_attribute, created_at, registered_at
  from fiscal_receipt;
