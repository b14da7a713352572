package io.seismo.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before any long-lived client starts, that the cluster answers, accepts the configured credentials and grants
 * what Seismo needs, so that a misconfiguration ends in one clear {@link Failure} instead of clients retrying in the
 * background. Kafka clients retry a failed SASL handshake in some paths and report missing rights only deep inside
 * Kafka Streams; an Admin client surfaces both at once.
 */
public final class ClusterAccess {

    /** What went wrong, for the caller to add its own hint. */
    public enum Kind { UNREACHABLE, AUTHENTICATION, AUTHORIZATION }

    /** A failed check, with a message that fits on one line. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Kind kind;

        Failure(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * What a process needs: to describe (and so read or write) {@code topics}, to use the consumer {@code groups}, and
     * when not null to use transactional ids starting with {@code transactionalIdPrefix}.
     */
    public record Needs(Collection<String> topics, Collection<String> groups, String transactionalIdPrefix) {
        public Needs {
            topics = List.copyOf(topics);
            groups = List.copyOf(groups);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAccess.class);
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ClusterAccess() {}

    /**
     * Connects with {@code clientConfig} and checks {@code needs}, within {@code timeout} in all.
     *
     * @throws Failure when no broker answers, the credentials are refused, or a right is missing
     */
    public static void verify(Map<String, Object> clientConfig, Needs needs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000));
        String who = describeUser(clientConfig);
        String where = String.valueOf(clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        try (Admin admin = Admin.create(config)) {
            try {
                await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMillis(deadline))).clusterId(), deadline);
            } catch (AuthenticationException e) {
                throw new Failure(Kind.AUTHENTICATION, "authentication failed for " + who + " at " + where + ": " + e.getMessage(), e);
            } catch (TimeoutException e) {
                throw new Failure(Kind.UNREACHABLE, "no Kafka broker answered at " + where + " within " + timeout.toSeconds() + " s", e);
            } catch (Exception e) {
                throw new Failure(Kind.UNREACHABLE, "cannot reach Kafka at " + where + ": " + e, e);
            }
            List<String> refused = new ArrayList<>();
            checkTopics(admin, needs.topics(), deadline, refused);
            checkGroups(admin, needs.groups(), deadline, refused);
            if (needs.transactionalIdPrefix() != null) {
                checkTransactionalId(admin, needs.transactionalIdPrefix(), deadline, refused);
            }
            if (!refused.isEmpty()) {
                throw new Failure(Kind.AUTHORIZATION, who + " is not authorized at " + where + " for " + String.join(", ", refused), null);
            }
        }
    }

    /** {@code user 'NAME'} from a SASL JAAS config, or the security protocol when there is none. */
    static String describeUser(Map<String, Object> clientConfig) {
        Object jaas = clientConfig.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas != null) {
            Matcher m = JAAS_USER.matcher(jaas.toString());
            if (m.find()) {
                return "user '" + m.group(1).replaceAll("\\\\(.)", "$1") + "'";
            }
        }
        Object protocol = clientConfig.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return "the client (" + (protocol == null ? "PLAINTEXT" : protocol) + ")";
    }

    private static void checkTopics(Admin admin, Collection<String> topics, long deadline, List<String> refused) {
        if (topics.isEmpty()) {
            return;
        }
        TreeSet<String> denied = new TreeSet<>();
        var futures = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(remainingMillis(deadline))).topicNameValues();
        for (var e : futures.entrySet()) {
            try {
                await(e.getValue(), deadline);
            } catch (TopicAuthorizationException ex) {
                denied.add(e.getKey());
            } catch (UnknownTopicOrPartitionException missing) {
                // Described, so authorized; creating or requiring it is the topic admin's business.
            } catch (AuthorizationException ex) {
                denied.add(e.getKey());
            } catch (TimeoutException ex) {
                throw new Failure(Kind.UNREACHABLE, "describing topic " + e.getKey() + " timed out", ex);
            } catch (Exception ex) {
                // Not a question of rights (an invalid name, say): the topic admin reports it next.
                LOG.debug("describing topic {} failed: {}", e.getKey(), ex.toString());
            }
        }
        if (!denied.isEmpty()) {
            refused.add("topic" + (denied.size() > 1 ? "s " : " ") + String.join(", ", denied));
        }
    }

    private static void checkGroups(Admin admin, Collection<String> groups, long deadline, List<String> refused) {
        if (groups.isEmpty()) {
            return;
        }
        TreeSet<String> denied = new TreeSet<>();
        var futures = admin.describeConsumerGroups(groups, new DescribeConsumerGroupsOptions().timeoutMs(remainingMillis(deadline)))
                .describedGroups();
        for (var e : futures.entrySet()) {
            try {
                await(e.getValue(), deadline);
            } catch (GroupAuthorizationException ex) {
                denied.add(e.getKey());
            } catch (Exception ex) {
                // A group that does not exist yet, or one of another protocol, is no reason to stop here.
                if (ex instanceof AuthorizationException) {
                    denied.add(e.getKey());
                }
            }
        }
        if (!denied.isEmpty()) {
            refused.add("consumer group" + (denied.size() > 1 ? "s " : " ") + String.join(", ", denied));
        }
    }

    private static void checkTransactionalId(Admin admin, String prefix, long deadline, List<String> refused) {
        // Kafka Streams names its producers <application.id>-<process id>-<thread>: probe one id under the prefix.
        String probe = prefix + "-access-check";
        try {
            await(admin.describeTransactions(List.of(probe), new DescribeTransactionsOptions().timeoutMs(remainingMillis(deadline)))
                    .description(probe), deadline);
        } catch (TransactionalIdAuthorizationException ex) {
            refused.add("transactional ids " + prefix + "*");
        } catch (TransactionalIdNotFoundException ex) {
            // Authorized: the id simply has no transaction yet.
        } catch (AuthorizationException ex) {
            refused.add("transactional ids " + prefix + "*");
        } catch (Exception ex) {
            // Older brokers lack DescribeTransactions; the producer will report it then.
        }
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    /** Waits for a future until the deadline, unwrapping the failure. */
    private static <T> T await(KafkaFuture<T> future, long deadline) throws Exception {
        try {
            return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new TimeoutException(cause.getMessage());
            }
            throw cause instanceof Exception ex ? ex : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
