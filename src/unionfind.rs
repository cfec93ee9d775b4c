//! Disjoint sets over indices `0..n`, each set with its members, for the
//! stages that join things transitively: clustering joins articles into
//! stories, the two-version comparison joins rows that a merged paragraph
//! holds together.

/// Disjoint sets whose root is always their smallest index, so the result
/// does not depend on the order of the joins.
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    /// Each root's members (empty for indices that are not roots).
    pub(crate) members: Vec<Vec<u32>>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            members: (0..n as u32).map(|i| vec![i]).collect(),
        }
    }

    pub(crate) fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let up = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = up;
            x = up;
        }
        x
    }

    /// [`UnionFind::find`] without shortening the path, for readers that
    /// share the sets.
    pub(crate) fn find_frozen(&self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            x = self.parent[x as usize];
        }
        x
    }

    pub(crate) fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
            let moved = std::mem::take(&mut self.members[hi as usize]);
            self.members[lo as usize].extend(moved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::UnionFind;

    #[test]
    fn joins_are_transitive_and_rooted_at_the_smallest() {
        let mut uf = UnionFind::new(6);
        uf.union(4, 2);
        uf.union(5, 4);
        uf.union(0, 1);
        assert_eq!(uf.find_frozen(5), 2);
        assert_eq!(uf.find(5), 2);
        assert_eq!(uf.find(1), 0);
        assert_eq!(uf.find(3), 3);
        let mut m = uf.members[2].clone();
        m.sort_unstable();
        assert_eq!(m, [2, 4, 5]);
    }
}
