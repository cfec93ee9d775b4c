//! Disjoint sets over indices `0..n`, each set with its members, for the
//! stages that join things transitively: clustering joins articles into
//! stories, the two-version comparison joins rows that a merged paragraph
//! holds together.

/// Disjoint sets whose root is always their smallest index, so the result
/// does not depend on the order of the joins.
pub(crate) struct UnionFind {
    parent: Vec<u32>,
    /// Each set's members in the order they joined, as a list threaded
    /// through the indices: a root's list starts at the root itself (the
    /// smaller root's list comes first in a join), and `next` leads on to
    /// [`END`]. No list of its own for each of a large corpus's articles.
    next: Vec<u32>,
    /// The last member of each root's list.
    last: Vec<u32>,
}

/// A copy of [`UnionFind`]'s sets ([`UnionFind::snapshot`]).
pub(crate) struct Snapshot(Vec<u32>);

impl Snapshot {
    pub(crate) fn root(&self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            x = self.0[x as usize];
        }
        x
    }
}

/// Where a member list ends.
const END: u32 = u32::MAX;

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            next: vec![END; n],
            last: (0..n as u32).collect(),
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

    /// The sets as they stand, as a copy that readers can keep while the
    /// sets go on being joined: [`Snapshot::root`] finds an index's root.
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot(self.parent.clone())
    }

    /// The members of the set whose root is `root`, in the order they joined.
    pub(crate) fn members(&self, root: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(root), |&m| {
            Some(self.next[m as usize]).filter(|&n| n != END)
        })
    }

    /// Whether the set whose root is `root` has one member only.
    pub(crate) fn is_single(&self, root: u32) -> bool {
        self.next[root as usize] == END
    }

    pub(crate) fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
            let tail = self.last[lo as usize];
            self.next[tail as usize] = hi;
            self.last[lo as usize] = self.last[hi as usize];
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
        assert_eq!(uf.snapshot().root(5), 2);
        assert_eq!(uf.find(5), 2);
        assert_eq!(uf.find(1), 0);
        assert_eq!(uf.find(3), 3);
        // In the order they joined: 2 with 4, then 5 with that set.
        assert_eq!(uf.members(2).collect::<Vec<_>>(), [2, 4, 5]);
        assert!(uf.is_single(3) && !uf.is_single(0));
        uf.union(3, 0);
        assert_eq!(uf.members(0).collect::<Vec<_>>(), [0, 1, 3]);
    }
}
