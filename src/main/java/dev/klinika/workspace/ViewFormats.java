package dev.klinika.workspace;

import java.math.BigDecimal;
import java.time.Period;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.klinika.shared.Money;

/**
 * Formats that templates call as {@code @moneyFormat}, {@code @periodFormat} and
 * {@code @pluralForms}.
 */
@Configuration(proxyBeanMethods = false)
class ViewFormats {

	@Bean
	MoneyFormat moneyFormat() {
		return new MoneyFormat();
	}

	@Bean
	PluralForms pluralForms() {
		return new PluralForms();
	}

	@Bean
	PeriodFormat periodFormat(MessageSource messages) {
		return new PeriodFormat(messages);
	}

	/** "1 500 ₽". */
	public static class MoneyFormat {

		public String format(BigDecimal amount, String currency, Locale locale) {
			return new Money(amount, Currency.getInstance(currency)).display(locale);
		}

		public String format(Money money, Locale locale) {
			return money.display(locale);
		}

	}

	/** The plural category of a count, for message keys ending in .one, .few or .many. */
	public static class PluralForms {

		public String category(long count, Locale locale) {
			return Plurals.category(count, locale);
		}

	}

	/** "6 месяцев", "1 год", "2 weeks", with the right plural form. */
	public static class PeriodFormat {

		private final MessageSource messages;

		PeriodFormat(MessageSource messages) {
			this.messages = messages;
		}

		public String format(Period period, Locale locale) {
			List<String> parts = new ArrayList<>();
			add(parts, period.getYears(), "years", locale);
			add(parts, period.getMonths(), "months", locale);
			if (period.getDays() % 7 == 0 && period.getDays() > 0) {
				add(parts, period.getDays() / 7, "weeks", locale);
			}
			else {
				add(parts, period.getDays(), "days", locale);
			}
			return String.join(" ", parts);
		}

		private void add(List<String> parts, int amount, String unit, Locale locale) {
			if (amount != 0) {
				String key = "period." + unit + "." + Plurals.category(amount, locale);
				parts.add(this.messages.getMessage(key, new Object[] { amount }, locale));
			}
		}

	}

}
