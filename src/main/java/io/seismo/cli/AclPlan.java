package io.seismo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.seismo.config.SeismoConfig;
import io.seismo.train.ReleasePublisher;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs {@code seismo run} needs on a cluster that enforces them (detector and trainer in one process), found by
 * running it with nothing else granted (SecuredClusterIT).
 */
public final class AclPlan {
    private AclPlan() {
    }

    /** Every binding for {@code principal} (for example {@code User:seismo}), allowed from any host. */
    public static List<AclBinding> of(SeismoConfig config, String principal) {
        SeismoConfig.Topics t = config.topics();
        String app = config.cluster().applicationId();
        List<AclBinding> acls = new ArrayList<>();
        boolean create = t.create();
        // Input, read by the detector (and by the trainer's cold start).
        topic(acls, principal, t.readings(), create, AclOperation.READ);
        // Outputs of the detector; the HTTP API also reads the recent anomalies back.
        if (config.http().enabled()) {
            topic(acls, principal, t.anomalies(), create, AclOperation.WRITE, AclOperation.READ);
        } else {
            topic(acls, principal, t.anomalies(), create, AclOperation.WRITE);
        }
        topic(acls, principal, t.deadLetter(), create, AclOperation.WRITE);
        // Operators' verdicts: read by the detector, written by the HTTP API (POST /api/feedback).
        if (config.http().enabled()) {
            topic(acls, principal, t.feedback(), create, AclOperation.READ, AclOperation.WRITE);
        } else {
            topic(acls, principal, t.feedback(), create, AclOperation.READ);
        }
        if (t.scoresEnabled()) {
            topic(acls, principal, t.scores(), create, AclOperation.WRITE);
        }
        // Written by the detector, read by the trainer.
        topic(acls, principal, t.training(), create, AclOperation.READ, AclOperation.WRITE);
        // Written by the trainer, read by the trainer and the detector's global store.
        topic(acls, principal, t.models(), create, AclOperation.READ, AclOperation.WRITE);
        // Kafka Streams' internal topics (the state store's changelog), which it creates itself.
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE)) {
            acls.add(binding(ResourceType.TOPIC, app + "-", PatternType.PREFIXED, principal, op));
        }
        acls.add(binding(ResourceType.GROUP, app, PatternType.LITERAL, principal, AclOperation.READ));
        acls.add(binding(ResourceType.GROUP, config.train().groupId(), PatternType.LITERAL, principal, AclOperation.READ));
        // The trainer (and 'seismo models rollback') publish releases in transactions of this id.
        acls.add(binding(ResourceType.TRANSACTIONAL_ID, ReleasePublisher.transactionalId(config), PatternType.LITERAL,
                principal, AclOperation.WRITE));
        if (config.cluster().exactlyOnce()) {
            acls.add(binding(ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, principal, AclOperation.WRITE));
        }
        return List.copyOf(acls);
    }

    /** The bindings as {@code kafka-acls.sh} commands, one per principal and resource, in the order given. */
    public static List<String> commands(List<AclBinding> acls, String bootstrap, String commandConfig) {
        Map<String, List<String>> operations = new LinkedHashMap<>();
        for (AclBinding b : acls) {
            ResourcePattern r = b.pattern();
            String resource = switch (r.resourceType()) {
                case TOPIC -> "--topic " + r.name();
                case GROUP -> "--group " + r.name();
                case TRANSACTIONAL_ID -> "--transactional-id " + r.name();
                case CLUSTER -> "--cluster";
                default -> throw new IllegalArgumentException("unexpected resource " + r);
            };
            String target = "--allow-principal " + b.entry().principal() + " %s " + resource
                    + (r.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
            operations.computeIfAbsent(target, k -> new ArrayList<>()).add("--operation " + camel(b.entry().operation()));
        }
        List<String> out = new ArrayList<>();
        operations.forEach((target, ops) -> out.add("kafka-acls.sh --bootstrap-server " + bootstrap + " --command-config "
                + commandConfig + " --add " + String.format(Locale.ROOT, target, String.join(" ", ops))));
        return out;
    }

    private static String camel(AclOperation op) {
        StringBuilder sb = new StringBuilder();
        for (String part : op.name().toLowerCase(Locale.ROOT).split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    private static void topic(List<AclBinding> acls, String principal, String topic, boolean create, AclOperation... ops) {
        for (AclOperation op : ops) {
            acls.add(binding(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, op));
        }
        if (create) {
            acls.add(binding(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.CREATE));
        }
    }

    private static AclBinding binding(ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
