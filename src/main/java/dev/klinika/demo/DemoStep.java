package dev.klinika.demo;

/**
 * One part of the demo data. Steps run in their
 * {@link org.springframework.core.annotation.Order} and share what earlier ones made
 * through the {@link DemoContext}.
 */
interface DemoStep {

	void generate(DemoContext context);

}
