package dev.klinika.demo;

import java.util.List;
import java.util.Set;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import dev.klinika.security.Role;
import dev.klinika.security.UserManagement;

/**
 * One login per role, all with the demo password; the doctor is linked to a staff member.
 */
@Component
@Order(3)
class UsersDemo implements DemoStep {

	private final UserManagement users;

	UsersDemo(UserManagement users) {
		this.users = users;
	}

	@Override
	public void generate(DemoContext context) {
		List<Long> branches = context.branchIds;
		String password = context.properties.password();
		Long first = branches.get(0);
		this.users.create("owner", password, "Ольга Владимировна Соколова", Set.of(Role.OWNER), Set.of(), null);
		this.users.create("manager", password, "Дмитрий Сергеевич Волков", Set.of(Role.MANAGER), Set.of(), null);
		this.users.create("senior", password, "Елена Андреевна Морозова", Set.of(Role.SENIOR_ADMIN), Set.of(first),
				null);
		this.users.create("admin", password, "Анна Игоревна Лебедева", Set.of(Role.ADMIN), Set.of(first), null);
		Long doctor = context.staffBySpecialty.get("Невролог").get(0);
		this.users.create("doctor", password, context.staffNames.get(doctor), Set.of(Role.DOCTOR),
				Set.copyOf(context.staffBranches.get(doctor)), doctor);
		this.users.create("consultant", password, "Мария Олеговна Новикова", Set.of(Role.CONSULTANT),
				Set.of(first, branches.get(1)), null);
		this.users.create("marketer", password, "Кирилл Андреевич Петров", Set.of(Role.MARKETER), Set.copyOf(branches),
				null);
	}

}
