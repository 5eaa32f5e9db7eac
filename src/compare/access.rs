//! Derived access: can an actor read a model's data while it is in use? The answer has
//! three values and follows from the stack: an actor whose layer the model does not run
//! is not present at all; one inside the trust boundary can read, one outside cannot.
//! Explicit overrides then apply, each with the reason that is shown to readers.

use super::model::{Comparison, Trust};

/// Whether an actor can read a model's data in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    CanRead,
    CannotRead,
    /// The actor's layer is not part of the model: it is neither able nor unable to read.
    NotPresent,
}

impl Reach {
    /// The answer in words, as every output shows it (never colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Reach::CanRead => "Can read",
            Reach::CannotRead => "Cannot read",
            Reach::NotPresent => "Not present",
        }
    }

    /// What an override's `access = true/false` sets.
    pub fn from_access(access: bool) -> Reach {
        if access {
            Reach::CanRead
        } else {
            Reach::CannotRead
        }
    }
}

/// One cell of the actor x model matrix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub actor: String,
    pub model: String,
    /// The final answer, after any override.
    pub reach: Reach,
    /// `reach == Reach::CanRead`.
    pub can_read: bool,
    /// What the stack alone says.
    pub derived: Reach,
    /// Set when an override changed the derived answer.
    pub override_reason: Option<String>,
    /// Short explanation of the derived answer (e.g. "acts from Hypervisor, outside the trust boundary").
    pub why: String,
}

/// Actor-major matrix: `cells[actor_index][model_index]`, in file order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessMatrix {
    pub actors: Vec<String>,
    pub models: Vec<String>,
    pub cells: Vec<Vec<Access>>,
}

impl AccessMatrix {
    pub fn get(&self, actor: &str, model: &str) -> Option<&Access> {
        let a = self.actors.iter().position(|x| x == actor)?;
        let m = self.models.iter().position(|x| x == model)?;
        self.cells.get(a)?.get(m)
    }
}

/// What the stack alone says about an actor acting at `layer`: not present when the model
/// does not run that layer; otherwise it can read only from inside the trust boundary.
pub fn derived_access(cmp: &Comparison, model: &str, actor_layer: &str) -> (Reach, String) {
    let layer_name = cmp
        .layer(actor_layer)
        .map(|l| l.name.as_str())
        .unwrap_or(actor_layer);
    let Some(m) = cmp.model(model) else {
        return (Reach::NotPresent, format!("unknown model {model}"));
    };
    match m.trust_of(actor_layer) {
        Some(Trust::Root) => (
            Reach::CanRead,
            format!("acts from {layer_name}, part of the root of trust"),
        ),
        Some(Trust::Protected) => (
            Reach::CanRead,
            format!("acts from {layer_name}, inside the trust boundary"),
        ),
        Some(Trust::Untrusted) => (
            Reach::CannotRead,
            format!("acts from {layer_name}, outside the trust boundary"),
        ),
        None => (
            Reach::NotPresent,
            format!("acts from {layer_name}, which this model does not run"),
        ),
    }
}

pub fn derive(cmp: &Comparison) -> AccessMatrix {
    let mut cells = Vec::with_capacity(cmp.actors.len());
    for actor in &cmp.actors {
        let mut row = Vec::with_capacity(cmp.models.len());
        for model in &cmp.models {
            let (derived, why) = derived_access(cmp, &model.id, &actor.acts_at);
            let ov = model.access_override.iter().find(|o| o.actor == actor.id);
            let (reach, override_reason) = match ov {
                Some(o) if Reach::from_access(o.access) != derived => {
                    (Reach::from_access(o.access), Some(o.reason.clone()))
                }
                _ => (derived, None),
            };
            row.push(Access {
                actor: actor.id.clone(),
                model: model.id.clone(),
                reach,
                can_read: reach == Reach::CanRead,
                derived,
                override_reason,
                why,
            });
        }
        cells.push(row);
    }
    AccessMatrix {
        actors: cmp.actors.iter().map(|a| a.id.clone()).collect(),
        models: cmp.models.iter().map(|m| m.id.clone()).collect(),
        cells,
    }
}
