package org.o365audit.sink.format.ecs;

import java.util.List;
import java.util.Map;

/** config/ecs-mapping.yaml as written, before it is checked and compiled into an {@link EcsMapping}. */
record MappingFile(List<String> arrays, List<String> numbers, Map<String, Map<String, String>> maps,
                   List<Map<String, Object>> fields, List<Map<String, Object>> events) {
}
