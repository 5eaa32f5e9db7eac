//! Derived access: can an actor read a model's data while it is in use? The answer
//! follows from the stack (an actor inside the trust boundary can, one outside cannot),
//! then explicit overrides apply, each with the reason that is shown to readers.

use super::model::{Comparison, Trust};

/// One cell of the actor x model matrix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub actor: String,
    pub model: String,
    /// The final answer, after any override.
    pub can_read: bool,
    /// What the stack alone says.
    pub derived: bool,
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

/// Whether the stack alone lets an actor acting at `layer` read data in use:
/// only from a layer the model places inside its trust boundary (root or protected).
pub fn derived_access(cmp: &Comparison, model: &str, actor_layer: &str) -> (bool, String) {
    let layer_name = cmp
        .layer(actor_layer)
        .map(|l| l.name.as_str())
        .unwrap_or(actor_layer);
    let Some(m) = cmp.model(model) else {
        return (false, format!("unknown model {model}"));
    };
    match m.trust_of(actor_layer) {
        Some(Trust::Root) => (
            true,
            format!("acts from {layer_name}, part of the root of trust"),
        ),
        Some(Trust::Protected) => (
            true,
            format!("acts from {layer_name}, inside the trust boundary"),
        ),
        Some(Trust::Untrusted) => (
            false,
            format!("acts from {layer_name}, outside the trust boundary"),
        ),
        None => (
            false,
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
            let (can_read, override_reason) = match ov {
                Some(o) if o.access != derived => (o.access, Some(o.reason.clone())),
                _ => (derived, None),
            };
            row.push(Access {
                actor: actor.id.clone(),
                model: model.id.clone(),
                can_read,
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
