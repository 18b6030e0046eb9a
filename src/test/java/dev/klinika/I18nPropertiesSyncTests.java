package dev.klinika;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Russian and English texts have the same keys, and every key a template uses exists. */
class I18nPropertiesSyncTests {

	private static final Pattern TEMPLATE_KEY = Pattern.compile("#\\{([a-zA-Z0-9_.]+)[}(]");

	@Test
	void russianAndEnglishHaveTheSameKeys() throws IOException {
		Properties russian = load("/messages.properties");
		Properties english = load("/messages_en.properties");
		assertThat(new TreeSet<>(english.stringPropertyNames()))
			.containsExactlyElementsOf(new TreeSet<>(russian.stringPropertyNames()));
	}

	@Test
	void noTextIsLeftEmpty() throws IOException {
		for (String file : new String[] { "/messages.properties", "/messages_en.properties" }) {
			Properties texts = load(file);
			assertThat(texts.stringPropertyNames())
				.allSatisfy(key -> assertThat(texts.getProperty(key)).as(file + " " + key).isNotBlank());
		}
	}

	@Test
	void everyLiteralKeyInTemplatesExists() throws IOException {
		Properties russian = load("/messages.properties");
		TreeSet<String> missing = new TreeSet<>();
		try (Stream<Path> templates = Files.walk(Path.of("src/main/resources/templates"))) {
			for (Path template : templates.filter(path -> path.toString().endsWith(".html")).toList()) {
				Matcher matcher = TEMPLATE_KEY.matcher(Files.readString(template));
				while (matcher.find()) {
					if (!russian.containsKey(matcher.group(1))) {
						missing.add(template.getFileName() + ": " + matcher.group(1));
					}
				}
			}
		}
		assertThat(missing).isEmpty();
	}

	private static Properties load(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = I18nPropertiesSyncTests.class.getResourceAsStream(name)) {
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

}
