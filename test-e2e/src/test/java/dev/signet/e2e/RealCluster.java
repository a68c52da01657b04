package dev.signet.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs a real API server ({@link KubeApiServer}). When the chosen one cannot run here (K3s
 * without a Docker engine) the class is reported as skipped with the reason, before any of it starts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealCluster.Available.class)
@interface RealCluster {

    /** Decides once per class whether the selected cluster flavour can start on this machine. */
    final class Available implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!KubeApiServer.flavour().equals("k3s") || K3sApiServer.dockerRuns()) {
                return ConditionEvaluationResult.enabled("cluster flavour " + KubeApiServer.flavour());
            }
            return ConditionEvaluationResult.disabled(
                    "-Dsignet.e2e.cluster=k3s needs a Docker engine, and this machine "
                            + "has none; the default (-Dsignet.e2e.cluster=local) runs kube-apiserver and etcd as local processes");
        }
    }
}
