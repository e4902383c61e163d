/**
 * The Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1) that splits an endpoint's traffic across
 * its variants and mirrors it to shadow variants. `@pulumi/kubernetes` has no typed Gateway API
 * classes, so the object is a `CustomResource`; the interfaces below are the subset of the CRD schema
 * this library writes, with the field names of the standard-channel CRD (checked against
 * kubernetes-sigs/gateway-api `config/crd/standard/gateway.networking.k8s.io_httproutes.yaml`,
 * v1.0–v1.3, and validated against the v1.3.0 schema in the tests).
 */

/** `spec.parentRefs[]`: a Gateway (north-south) or, for GAMMA mesh routing, a Service (east-west). */
export interface HttpRouteParentRef {
  group: string;
  kind: "Gateway" | "Service";
  name: string;
  namespace?: string;
  sectionName?: string;
  port?: number;
}

/** `spec.rules[].backendRefs[]`: a Service and its weight. */
export interface HttpBackendRef {
  group: "";
  kind: "Service";
  name: string;
  port: number;
  weight: number;
}

/** `spec.rules[].filters[]` of type `RequestMirror`. */
export interface HttpRequestMirrorFilter {
  type: "RequestMirror";
  requestMirror: {
    backendRef: { group: ""; kind: "Service"; name: string; port: number };
    /** Standard channel from Gateway API v1.3.0; left out at 100 so older CRDs accept the route. */
    percent?: number;
  };
}

/** The `spec` of the endpoint's HTTPRoute. */
export interface HttpRouteSpec {
  parentRefs: HttpRouteParentRef[];
  hostnames?: string[];
  rules: {
    matches: { path: { type: "PathPrefix"; value: string } }[];
    filters?: HttpRequestMirrorFilter[];
    backendRefs: HttpBackendRef[];
  }[];
}

/** Inputs of {@link httpRouteSpec}. */
export interface HttpRouteInputs {
  /** Live variants: Service name and weight (percent; they sum to 100). */
  backends: { serviceName: string; weight: number }[];
  /** Shadow variants' Service names. */
  mirrors: string[];
  /** Percent of requests mirrored to each shadow variant (100 = all). */
  mirrorPercent: number;
  /** Port of the variant Services. */
  servicePort: number;
  /** Attach to this Gateway; when unset the route attaches to `frontServiceName` (GAMMA). */
  gateway?: { name: string; namespace?: string; sectionName?: string };
  /** The endpoint's own Service: the GAMMA parent when there is no Gateway. */
  frontServiceName: string;
  /** Host names matched at the Gateway (ignored for GAMMA, where the parent Service is the match). */
  hostnames: string[];
}

/** Builds the HTTPRoute spec: one rule over `/` with weighted backends and one mirror filter per shadow. */
export function httpRouteSpec(i: HttpRouteInputs): HttpRouteSpec {
  const parentRefs: HttpRouteParentRef[] = i.gateway
    ? [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: i.gateway.name,
          ...(i.gateway.namespace ? { namespace: i.gateway.namespace } : {}),
          ...(i.gateway.sectionName ? { sectionName: i.gateway.sectionName } : {}),
        },
      ]
    : [{ group: "", kind: "Service", name: i.frontServiceName, port: i.servicePort }];
  const filters: HttpRequestMirrorFilter[] = i.mirrors.map((name) => ({
    type: "RequestMirror",
    requestMirror: {
      backendRef: { group: "", kind: "Service", name, port: i.servicePort },
      ...(i.mirrorPercent < 100 ? { percent: i.mirrorPercent } : {}),
    },
  }));
  return {
    parentRefs,
    ...(i.gateway && i.hostnames.length > 0 ? { hostnames: [...i.hostnames] } : {}),
    rules: [
      {
        matches: [{ path: { type: "PathPrefix", value: "/" } }],
        ...(filters.length > 0 ? { filters } : {}),
        backendRefs: i.backends.map((b) => ({
          group: "",
          kind: "Service",
          name: b.serviceName,
          port: i.servicePort,
          weight: b.weight,
        })),
      },
    ],
  };
}
