//! Exponentially weighted mean and variance for streaming (West's incremental form).

#[derive(Clone, Copy)]
pub struct Ew {
    pub alpha: f64,
    pub count: f64,
    pub mean: f64,
    pub var: f64,
}

impl Ew {
    pub fn new(alpha: f64) -> Ew {
        Ew { alpha, count: 0.0, mean: 0.0, var: 0.0 }
    }

    /// Adds one sample. The first sample sets the mean; variance starts at 0.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if self.count == 0.0 {
            self.mean = x;
            self.var = 0.0;
        } else {
            let diff = x - self.mean;
            let incr = self.alpha * diff;
            self.mean += incr;
            self.var = (1.0 - self.alpha) * (self.var + diff * incr);
        }
        self.count += 1.0;
    }
}
