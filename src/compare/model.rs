//! The comparison data model: layers, actors, models, guidance, image bindings and the
//! decision table, as loaded from a `trustdoc-comparison/1` file. Plain data with the
//! source position of each entity, so later checks can point at the right line.

use std::collections::BTreeMap;

/// A 1-based position in the comparison file (0 = unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    /// Part of the hardware root of trust (CPU, security processor).
    Root,
    /// Inside the trust boundary: protected from everything outside it.
    Protected,
    /// Outside the trust boundary.
    Untrusted,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Layer {
    pub id: String,
    pub order: i64,
    pub name: String,
    /// Drawn as a box inside this other layer's row.
    pub inset_of: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// Layer id the actor acts from.
    pub acts_at: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StackEntry {
    pub layer: String,
    pub trust: Trust,
    /// Model-specific label for the layer (defaults to the layer's name).
    pub label: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AccessOverride {
    pub actor: String,
    pub access: bool,
    pub reason: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Model {
    pub id: String,
    pub name: String,
    /// "IaaS" / "PaaS" / free text.
    pub deployment: String,
    pub technologies: Vec<String>,
    pub isolation_unit: String,
    pub code_changes: String,
    pub attestation: String,
    pub memory: String,
    /// Bottom to top, in layer order.
    pub stack: Vec<StackEntry>,
    pub access_override: Vec<AccessOverride>,
    /// Per decision input, the answers this model can serve; an input left out accepts
    /// any answer. Rules must not recommend the model outside these.
    pub fits: Vec<Fit>,
    /// Keys the schema does not know are errors, so there is no `extra` here.
    pub pos: Pos,
}

/// One `fits` entry: the answers to `input` a model can serve.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fit {
    pub input: String,
    pub answers: Vec<String>,
    /// Where the input key is written.
    pub pos: Pos,
}

/// The `then` of a rule that, by design, recommends no model (it must carry a `note`).
pub const NO_MODEL: &str = "none";

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Guidance {
    pub favors: Vec<String>,
    pub text: String,
    pub pos: Pos,
}

/// Binds a generated diagram to an image path an article already references.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImageBinding {
    /// Relative to the comparison file, `/`-separated.
    pub path: String,
    /// `"all"` or a model id.
    pub show: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum HitPolicy {
    /// Unique: at most one rule matches any combination.
    U,
    /// Any: several may match, but they must agree on the outcome.
    A,
    /// Priority: several may match; the one whose output ranks highest wins.
    P,
    /// First: rules are tried in order; the first match wins.
    F,
    /// Collect: all matches are returned.
    C,
    /// Rule order: all matches, in rule order.
    R,
    /// Output order: all matches, by output priority.
    O,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Input {
    pub id: String,
    pub question: String,
    pub answers: Vec<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rule {
    pub id: String,
    /// Input id -> allowed answers. An input that is absent matches any answer.
    pub when: BTreeMap<String, Vec<String>>,
    /// The recommended model id, or `NO_MODEL` when no model fits.
    pub then: String,
    pub note: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Decision {
    pub id: String,
    pub hit_policy: HitPolicy,
    pub inputs: Vec<Input>,
    pub rules: Vec<Rule>,
    /// Output priority for P and O (model ids, highest first); defaults to model order.
    pub priority: Vec<String>,
    pub pos: Pos,
}

/// One comparison file, fully loaded (not yet validated).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Path as shown to users (relative to the site root).
    pub path: String,
    /// The declared schema version, e.g. `trustdoc-comparison/1`.
    pub schema: String,
    /// Where `schema` is declared.
    pub schema_pos: Pos,
    pub id: String,
    pub title: String,
    /// Optional introduction shown above generated output.
    pub description: Option<String>,
    /// Sorted by `order` after loading.
    pub layers: Vec<Layer>,
    pub actors: Vec<Actor>,
    pub models: Vec<Model>,
    pub guidance: Vec<Guidance>,
    pub images: Vec<ImageBinding>,
    pub decision: Option<Decision>,
}

impl Comparison {
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }
    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }
}

impl Rule {
    /// Does this rule say, explicitly, that no model fits?
    pub fn recommends_none(&self) -> bool {
        self.then == NO_MODEL
    }
}

impl Model {
    /// The answers this model serves for `input`, or `None` when it accepts any.
    pub fn fit_for(&self, input: &str) -> Option<&[String]> {
        self.fits
            .iter()
            .find(|f| f.input == input)
            .map(|f| f.answers.as_slice())
    }

    /// The trust this model gives a layer, or `None` when the layer is not in its stack.
    pub fn trust_of(&self, layer: &str) -> Option<Trust> {
        self.stack
            .iter()
            .find(|s| s.layer == layer)
            .map(|s| s.trust)
    }
}
