package dev.klinika.billing;

import java.io.Serial;

/**
 * A billing step refused for a reason the desk can read: the message key (under
 * {@code billing.refused.}) and its arguments, amounts as
 * {@link dev.klinika.shared.Money} for the screen to write in the reader's language.
 * Nothing was written.
 */
class BillingRefused extends dev.klinika.shared.Refusal {

	@Serial
	private static final long serialVersionUID = 1L;

	BillingRefused(String key, Object... args) {
		super(key, args);
	}

	/**
	 * Runs a step of a form; a refusal goes back to {@code back} with its reason in words
	 * (amounts written in the reader's language), shown by the layout like every other
	 * refused form.
	 */
	static String orBack(org.springframework.web.servlet.mvc.support.RedirectAttributes redirect, String back,
			java.util.function.Supplier<String> step) {
		try {
			return step.get();
		}
		catch (BillingRefused refused) {
			java.util.Locale locale = org.springframework.context.i18n.LocaleContextHolder.getLocale();
			redirect.addFlashAttribute("flashErrorKey", refused.key());
			redirect.addFlashAttribute("flashErrorArgs", java.util.Arrays.stream(refused.args())
				.map(arg -> arg instanceof dev.klinika.shared.Money money ? money.display(locale) : String.valueOf(arg))
				.toArray(String[]::new));
			return back;
		}
	}

}
