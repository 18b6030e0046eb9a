package dev.klinika.organization;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.klinika.security.AuditLog;
import dev.klinika.security.CurrentUser;
import dev.klinika.shared.ConcurrentChange;
import dev.klinika.shared.PhoneNumber;

/**
 * Opens, changes and closes branches and their rooms. A branch outside the current
 * login's scope is not found, exactly as if it did not exist.
 */
@Service
@Transactional
public class BranchManagement {

	private final Branches branches;

	private final Rooms rooms;

	private final CurrentUser currentUser;

	private final AuditLog audit;

	BranchManagement(Branches branches, Rooms rooms, CurrentUser currentUser, AuditLog audit) {
		this.branches = branches;
		this.rooms = rooms;
		this.currentUser = currentUser;
		this.audit = audit;
	}

	/** A branch the current login may see. */
	@Transactional(readOnly = true)
	public Optional<Branch> find(long id) {
		return this.branches.findById(id).filter(branch -> this.currentUser.scope().includes(id));
	}

	@Transactional(readOnly = true)
	public List<Room> rooms(long branchId) {
		return find(branchId).map(branch -> this.rooms.findByBranchIdOrderByName(branchId)).orElse(List.of());
	}

	@Transactional(readOnly = true)
	public Optional<Room> findRoom(long roomId) {
		return this.rooms.findById(roomId).filter(room -> find(room.getBranchId()).isPresent());
	}

	public Branch open(String name, String address, @Nullable PhoneNumber phone, ZoneId zone, Set<WorkingHours> hours) {
		Branch branch = this.branches.save(new Branch(name, address, phone, zone, hours));
		this.audit.record("BRANCH_CREATED", "branch", branch.getId(), describe(branch));
		return branch;
	}

	public Branch update(long id, @Nullable Integer expectedVersion, String name, String address,
			@Nullable PhoneNumber phone, ZoneId zone, Set<WorkingHours> hours) {
		Branch branch = find(id).orElseThrow();
		ConcurrentChange.check(expectedVersion, branch.getVersion(), "branch " + id);
		String before = describe(branch);
		branch.describe(name, address, phone, zone, hours);
		branch = this.branches.save(branch);
		this.audit.record("BRANCH_CHANGED", "branch", id, before + " -> " + describe(branch));
		return branch;
	}

	public void setActive(long id, boolean active) {
		Branch branch = find(id).orElseThrow();
		if (active) {
			branch.activate();
		}
		else {
			branch.deactivate();
		}
		this.branches.save(branch);
		this.audit.record(active ? "BRANCH_ACTIVATED" : "BRANCH_DEACTIVATED", "branch", id, branch.getName());
	}

	public Room addRoom(long branchId, String name, RoomKind kind) {
		find(branchId).orElseThrow();
		Room room = this.rooms.save(new Room(branchId, name, kind));
		this.audit.record("ROOM_CREATED", "room", room.getId(), room.getName() + " " + kind + " in branch " + branchId);
		return room;
	}

	public Room updateRoom(long roomId, @Nullable Integer expectedVersion, String name, RoomKind kind) {
		Room room = findRoom(roomId).orElseThrow();
		ConcurrentChange.check(expectedVersion, room.getVersion(), "room " + roomId);
		String before = room.getName() + " " + room.getKind();
		room.describe(name, kind);
		room = this.rooms.save(room);
		this.audit.record("ROOM_CHANGED", "room", roomId, before + " -> " + room.getName() + " " + room.getKind());
		return room;
	}

	public void setRoomActive(long roomId, boolean active) {
		Room room = findRoom(roomId).orElseThrow();
		room.setActive(active);
		this.rooms.save(room);
		this.audit.record(active ? "ROOM_ACTIVATED" : "ROOM_DEACTIVATED", "room", roomId, room.getName());
	}

	private static String describe(Branch branch) {
		return branch.getName() + "; " + branch.getAddress() + "; " + branch.getZone() + "; "
				+ branch.getPhone().map(PhoneNumber::e164).orElse("-") + "; " + branch.getHours().size() + " days";
	}

}
