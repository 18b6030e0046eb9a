package dev.klinika.shared;

import java.math.BigDecimal;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MoneyTests {

	@Test
	void showsRublesAsClinicsWriteThem() {
		assertThat(Money.rub("1500").display(Locale.forLanguageTag("ru"))).isEqualTo("1\u00a0500\u00a0₽");
		assertThat(Money.rub("1500.5").display(Locale.forLanguageTag("ru"))).isEqualTo("1\u00a0500,50\u00a0₽");
	}

	@Test
	void keepsKopecksExactly() {
		assertThat(Money.rub("0.10").amount().add(Money.rub("0.20").amount())).isEqualByComparingTo("0.30");
	}

	@Test
	void refusesFractionsOfKopecksAndOverflow() {
		assertThatIllegalArgumentException().isThrownBy(() -> Money.rub("1.005"));
		assertThatIllegalArgumentException().isThrownBy(() -> Money.of(new BigDecimal("1e13"), Money.RUB));
	}

}
