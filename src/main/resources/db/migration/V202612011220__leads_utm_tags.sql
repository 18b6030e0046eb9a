-- leads: which of the clinic's ad sources a website form's utm_source tag means ("vk" is ВКонтакте).
create table lead_utm_source (
    tag       varchar(200) primary key check (tag = lower(tag)),
    source_id bigint       not null references patient_source (id)
);
