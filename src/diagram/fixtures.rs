//! Test data built in Rust: the reference deployment-model comparison (the same facts
//! as `examples/deployment-models.toml`) and an unrelated payment-keys comparison, so
//! tests can show nothing in the renderer is specific to the seed models.

use crate::compare::model::{
    AccessOverride, Actor, Comparison, Layer, Model, Pos, StackEntry, Trust,
};

pub(crate) fn layer(id: &str, order: i64, name: &str, inset_of: Option<&str>) -> Layer {
    Layer {
        id: id.into(),
        order,
        name: name.into(),
        inset_of: inset_of.map(Into::into),
        pos: Pos::default(),
    }
}

pub(crate) fn actor(id: &str, name: &str, acts_at: &str) -> Actor {
    Actor {
        id: id.into(),
        name: name.into(),
        acts_at: acts_at.into(),
        pos: Pos::default(),
    }
}

fn entry(layer: &str, trust: Trust, label: Option<&str>) -> StackEntry {
    StackEntry {
        layer: layer.into(),
        trust,
        label: label.map(Into::into),
        pos: Pos::default(),
    }
}

pub(crate) fn model(
    id: &str,
    name: &str,
    deployment: &str,
    tech: &[&str],
    stack: &[(&str, Trust, Option<&str>)],
) -> Model {
    Model {
        id: id.into(),
        name: name.into(),
        deployment: deployment.into(),
        technologies: tech.iter().map(|t| t.to_string()).collect(),
        isolation_unit: String::new(),
        code_changes: String::new(),
        attestation: String::new(),
        memory: String::new(),
        stack: stack.iter().map(|(l, t, lb)| entry(l, *t, *lb)).collect(),
        access_override: Vec::new(),
        fits: Vec::new(),
        pos: Pos::default(),
    }
}

pub(crate) fn comparison(
    id: &str,
    title: &str,
    layers: Vec<Layer>,
    actors: Vec<Actor>,
    models: Vec<Model>,
) -> Comparison {
    Comparison {
        path: format!("{id}.toml"),
        schema: "trustdoc-comparison/1".into(),
        schema_pos: Pos::default(),
        description: None,
        id: id.into(),
        title: title.into(),
        layers,
        actors,
        models,
        guidance: Vec::new(),
        images: Vec::new(),
        decision: None,
    }
}

pub(crate) fn overridden(mut m: Model, actor: &str, access: bool, reason: &str) -> Model {
    m.access_override.push(AccessOverride {
        actor: actor.into(),
        access,
        reason: reason.into(),
        pos: Pos::default(),
    });
    m
}

/// The four seed models, nine layers and five actors of the reference file.
pub(crate) fn reference() -> Comparison {
    use Trust::*;
    let layers = vec![
        layer("hardware", 10, "CPU and memory", None),
        layer("firmware", 20, "Security processor / TEE module", None),
        layer("hypervisor", 30, "Hypervisor", None),
        layer("host_os", 40, "Host OS and host agents", None),
        layer(
            "orchestrator",
            45,
            "Kubelet, Kata shim, control plane",
            None,
        ),
        layer("guest_os", 50, "Guest OS / kernel", None),
        layer("runtime", 60, "In-guest container runtime and agent", None),
        layer("apps", 70, "Applications", None),
        layer("enclave", 80, "Enclave", Some("apps")),
    ];
    let actors = vec![
        actor("cloud_operator", "Cloud provider operator", "hypervisor"),
        actor("host_admin", "Host administrator", "host_os"),
        actor("cluster_admin", "Cluster administrator", "orchestrator"),
        actor("guest_admin", "Guest (VM) administrator", "guest_os"),
        actor("colocated_apps", "Other apps in the same VM or pod", "apps"),
    ];
    let host = [
        ("hypervisor", Untrusted, None),
        ("host_os", Untrusted, None),
    ];
    let with = |roots: [(&'static str, Trust, Option<&'static str>); 2],
                rest: &[(&'static str, Trust, Option<&'static str>)]| {
        let mut v = roots.to_vec();
        v.extend_from_slice(&host);
        v.extend_from_slice(rest);
        v
    };
    let snp = model(
        "cvm-sev-snp",
        "Confidential VM (AMD SEV-SNP)",
        "IaaS",
        &["AMD SEV-SNP"],
        &with(
            [
                ("hardware", Root, None),
                ("firmware", Root, Some("AMD Secure Processor")),
            ],
            &[
                ("guest_os", Protected, Some("Guest OS, paravisor, vTPM")),
                ("apps", Protected, None),
            ],
        ),
    );
    let tdx = model(
        "cvm-tdx",
        "Confidential VM (Intel TDX)",
        "IaaS",
        &["Intel TDX"],
        &with(
            [
                ("hardware", Root, None),
                ("firmware", Root, Some("TDX module")),
            ],
            &[("guest_os", Protected, None), ("apps", Protected, None)],
        ),
    );
    let sgx = model(
        "sgx-enclave",
        "Application enclave (Intel SGX)",
        "IaaS",
        &["Intel SGX"],
        &with(
            [
                ("hardware", Root, None),
                ("firmware", Root, Some("SGX microcode")),
            ],
            &[
                ("guest_os", Untrusted, None),
                ("apps", Untrusted, Some("Untrusted part of the app")),
                ("enclave", Protected, None),
            ],
        ),
    );
    let coco = model(
        "coco-aks",
        "Confidential containers on AKS",
        "PaaS",
        &["Kata Containers", "AMD SEV-SNP"],
        &with(
            [
                ("hardware", Root, None),
                ("firmware", Root, Some("AMD Secure Processor")),
            ],
            &[
                ("orchestrator", Untrusted, None),
                ("guest_os", Protected, Some("Pod VM kernel")),
                ("runtime", Protected, Some("Agent and policy")),
                ("apps", Protected, Some("Containers in the pod")),
            ],
        ),
    );
    let coco = overridden(
        coco,
        "guest_admin",
        false,
        "There is no interactive guest admin; the pod policy blocks exec",
    );
    comparison(
        "deployment-models",
        "Confidential computing deployment models",
        layers,
        actors,
        vec![snp, tdx, sgx, coco],
    )
}

/// Payment keys: a hardware security module against keys held in software. Different
/// layers, actors and models from the reference, with long labels that must wrap.
pub(crate) fn payments() -> Comparison {
    use Trust::*;
    let layers = vec![
        layer("tamper", 1, "Tamper-responsive security module", None),
        layer("hsm_fw", 2, "HSM firmware", None),
        layer("server", 3, "Server operating system", None),
        layer("app", 4, "Payment application", None),
        layer("vault", 5, "Key vault", Some("app")),
    ];
    let actors = vec![
        actor(
            "dc_staff",
            "Data centre staff with physical access",
            "server",
        ),
        actor("developers", "Application developers", "app"),
        actor("support", "Vendor support engineers", "hsm_fw"),
    ];
    let hsm = model(
        "payment-hsm",
        "Payment HSM",
        "Appliance",
        &["FIPS 140-3 level 3"],
        &[
            ("tamper", Root, None),
            ("hsm_fw", Root, Some("Certified firmware with dual control")),
            ("server", Untrusted, None),
            ("app", Untrusted, Some("Authorisation, tokenisation, fraud scoring and settlement batching for acquirers")),
            ("vault", Protected, Some("Working keys wrapped under the local master key")),
        ],
    );
    let soft = model(
        "software-keys",
        "Keys in application memory",
        "Self-hosted",
        &[],
        &[
            ("server", Protected, Some("Hardened operating system image")),
            ("app", Protected, None),
        ],
    );
    let kms = overridden(
        model(
            "cloud-kms",
            "Cloud key management service",
            "SaaS",
            &["Managed HSM pool"],
            &[
                ("hsm_fw", Root, Some("Provider-operated HSM firmware")),
                ("server", Untrusted, None),
                ("app", Protected, None),
            ],
        ),
        "developers",
        false,
        "Developers deploy through a reviewed pipeline & hold no production <credentials>",
    );
    comparison(
        "payment-keys",
        "Where payment keys live",
        layers,
        actors,
        vec![hsm, soft, kms],
    )
}
