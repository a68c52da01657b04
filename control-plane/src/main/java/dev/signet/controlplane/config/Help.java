package dev.signet.controlplane.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What a setting of {@link ServeSettings} is for: the text {@code signet serve --help} shows beside its option. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Help {

    /** One or two sentences; the default is appended. */
    String value();

    /** The option's parameter as the help shows it ({@code DIR}, {@code DURATION}); the type's name when empty. */
    String label() default "";

    /** The default as the help states it, when the declared one is an expression or a keyword. */
    String shownDefault() default "";
}
