package dev.klinika.shared;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PhoneNumberTests {

	@Test
	void readsTheWaysPeopleTypeARussianMobile() {
		assertThat(PhoneNumber.parse("8 (916) 123-45-67")).contains(new PhoneNumber("+79161234567"));
		assertThat(PhoneNumber.parse("+7 916 1234567")).contains(new PhoneNumber("+79161234567"));
		assertThat(PhoneNumber.parse("9161234567")).contains(new PhoneNumber("+79161234567"));
	}

	@Test
	void refusesWhatIsNotANumber() {
		assertThat(PhoneNumber.parse("")).isEmpty();
		assertThat(PhoneNumber.parse("звоните")).isEmpty();
		assertThat(PhoneNumber.parse("123")).isEmpty();
		assertThat(PhoneNumber.parse("1".repeat(100))).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> new PhoneNumber("89161234567"));
	}

	@Test
	void displaysInInternationalForm() {
		assertThat(new PhoneNumber("+79161234567").display()).isEqualTo("+7 916 123-45-67");
	}

	@Property
	void everyFormatOfAMobileIsTheSameNumber(@ForAll @IntRange(min = 0, max = 9_999_999) int subscriber) {
		String digits = String.format("916%07d", subscriber);
		String dashed = "8 (" + digits.substring(0, 3) + ") " + digits.substring(3, 6) + "-" + digits.substring(6, 8)
				+ "-" + digits.substring(8);
		assertThat(PhoneNumber.parse(dashed)).isEqualTo(PhoneNumber.parse("+7" + digits))
			.isEqualTo(PhoneNumber.parse(digits))
			.contains(new PhoneNumber("+7" + digits));
	}

}
