package dev.taskscheduler.api.limits;

import dev.taskscheduler.model.Json;
import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the API's request bodies: Spring Boot's, with every customization it applies,
 * on a factory that enforces {@link Json#READ_CONSTRAINTS} (nesting depth, string and document
 * sizes), so a hostile body fails while it is parsed.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfiguration {

    @Bean
    JsonMapper jsonMapper(List<JsonMapperBuilderCustomizer> customizers) {
        JsonMapper.Builder builder = JsonMapper.builder(Json.constrainedFactory());
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }
}
