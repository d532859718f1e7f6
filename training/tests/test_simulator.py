"""Checks of the bone-scan simulator's physics and bookkeeping.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import unittest

import numpy as np

from training.bonescan import simulate_study, thin_counts
from training.bonescan.kinetics import COMPARTMENTS


class SimulatorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.study = simulate_study(11, lesion_count=4)

    def test_same_seed_gives_identical_images_and_other_seed_differs(self):
        again = simulate_study(11, lesion_count=4)
        other = simulate_study(12, lesion_count=4)
        a = self.study.expected("posterior", "4h")
        np.testing.assert_array_equal(a, again.expected("posterior", "4h"))
        self.assertEqual(self.study.lesions, again.lesions)
        self.assertGreater(np.abs(a - other.expected("posterior", "4h")).mean(), 0.1)

    def test_views_have_whole_body_size_and_plausible_count_totals(self):
        s = self.study
        self.assertEqual(s.expected("anterior", "4h").shape, (1024, 256))
        self.assertTrue(2.0e6 <= s.counts_4h <= 4.0e6)
        self.assertAlmostEqual(float(s.expected("anterior", "4h").sum()) / s.counts_4h, 1.0, places=3)
        rng = np.random.default_rng(0)
        for fraction in (0.25, 0.6):
            for view in ("anterior", "posterior"):
                total = float(s.counts(view, "2h", fraction, rng).sum())
                self.assertTrue(0.35e6 <= total <= 3.5e6, f"{view} {fraction}: {total}")
        ratio = s.expected("posterior", "4h").sum() / s.expected("anterior", "4h").sum()
        self.assertTrue(0.75 < ratio < 1.3, ratio)

    def test_poisson_counts_are_whole_numbers_with_poisson_variance(self):
        e = self.study.expected("anterior", "4h", 0.5)
        c = self.study.counts("anterior", "4h", 0.5, np.random.default_rng(1))
        np.testing.assert_array_equal(c, np.rint(c))
        bright = e > 20
        z = (c[bright] - e[bright]) / np.sqrt(e[bright])
        self.assertAlmostEqual(float(z.var()), 1.0, delta=0.1)

    def test_requested_lesions_are_present_with_the_right_sign(self):
        s = self.study
        self.assertEqual(len(s.lesions), 4)
        with_lesions = s.expected("anterior", "4h") + s.expected("posterior", "4h")[:, ::-1]
        clean = simulate_study(11, lesion_count=0)
        # Lesion placement consumes random numbers, so compare against each lesion's own disk
        # in a lesion-free patient with the same skeleton only through the sign of the change.
        for l in s.lesions:
            self.assertTrue(5.0 / 2.4 <= l.radius_px * 2 <= 40.0 / 2.4 + 1e-6)
            rr, cc = np.ogrid[0:1024, 0:256]
            disk = (rr - l.row) ** 2 + (cc - l.col) ** 2 <= max(l.radius_px * 0.6, 1.5) ** 2
            bone = sum(s.components[v]["bone"][:, ::(-1 if v == "posterior" else 1)] for v in ("anterior", "posterior"))
            bone_clean = sum(clean.components[v]["bone"][:, ::(-1 if v == "posterior" else 1)] for v in ("anterior", "posterior"))
            if l.kind == "hot":
                self.assertGreater(bone[disk].mean(), 1.05 * bone_clean[disk].mean(), l)
            else:
                self.assertLess(bone[disk].mean(), 0.97 * bone_clean[disk].mean(), l)
        self.assertGreater(with_lesions.sum(), 0)

    def test_two_hour_view_has_more_soft_tissue_relative_to_bone(self):
        for seed in (3, 4, 5):
            s = simulate_study(seed)
            two, four = s.uptake["2h"], s.uptake["4h"]
            self.assertGreater(two.soft / two.bone, 1.5 * four.soft / four.bone)
            self.assertGreater(two.kidney / two.bone, four.kidney / four.bone)
            e2 = s.expected("anterior", "2h")
            e4 = s.expected("anterior", "4h")
            soft = s.components["anterior"]["soft"]
            bone = s.components["anterior"]["bone"]
            organs = s.components["anterior"]["kidney"] + s.components["anterior"]["bladder"]
            region = (soft > np.percentile(soft, 90)) & (bone < 0.05 * bone.max()) & (organs < 0.01 * organs.max())
            bony = bone > np.percentile(bone, 99.5)
            ratio2 = e2[bony].mean() / e2[region].mean()
            ratio4 = e4[bony].mean() / e4[region].mean()
            self.assertGreater(ratio4, 1.2 * ratio2, f"seed {seed}: bone/soft 2h {ratio2:.2f} 4h {ratio4:.2f}")

    def test_spine_is_sharper_and_relatively_brighter_posteriorly(self):
        s = self.study
        ant = s.components["anterior"]["bone"]
        post = s.components["posterior"]["bone"][:, ::-1]  # back into anterior orientation
        p = s.patient
        rows = slice(int(p.y(0.25) / 0.24), int(p.y(0.44) / 0.24))
        mid = int(round(s.grid.col_of(p.shift_x)))
        spine = slice(mid - 4, mid + 5)
        share_post = post[rows, spine].sum() / post.sum()
        share_ant = ant[rows, spine].sum() / ant.sum()
        self.assertGreater(share_post, 1.5 * share_ant)

    def test_organs_and_compartments_are_all_simulated(self):
        for view in ("anterior", "posterior"):
            for c in COMPARTMENTS:
                self.assertGreater(float(self.study.components[view][c].sum()), 0.0, (view, c))

    def test_bad_arguments_are_rejected(self):
        with self.assertRaises(ValueError):
            self.study.expected("lateral", "4h")
        with self.assertRaises(ValueError):
            self.study.expected("anterior", "3h")
        with self.assertRaises(ValueError):
            self.study.expected("anterior", "4h", 0.0)


class ThinningTests(unittest.TestCase):
    def test_thinning_keeps_a_binomial_share_of_each_pixel(self):
        rng = np.random.default_rng(2)
        counts = rng.poisson(30.0, size=(256, 256)).astype(np.float32)
        thinned = thin_counts(counts, 0.25, np.random.default_rng(3))
        self.assertTrue(np.all(thinned <= counts))
        self.assertTrue(np.all(thinned >= 0))
        self.assertAlmostEqual(float(thinned.sum() / counts.sum()), 0.25, delta=0.005)
        # Thinned Poisson(30) is Poisson(7.5): variance equals mean.
        self.assertAlmostEqual(float(thinned.var() / thinned.mean()), 1.0, delta=0.05)

    def test_thinning_edge_cases_and_bad_input(self):
        counts = np.array([[0, 5], [7, 100]], dtype=np.uint16)
        np.testing.assert_array_equal(thin_counts(counts, 1.0), counts)
        np.testing.assert_array_equal(thin_counts(counts, 0.0), np.zeros_like(counts))
        for bad in (-0.1, 1.5):
            with self.assertRaises(ValueError):
                thin_counts(counts, bad)
        with self.assertRaises(ValueError):
            thin_counts(np.array([1.5, 2.0]), 0.5)
        with self.assertRaises(ValueError):
            thin_counts(np.array([-1.0]), 0.5)


if __name__ == "__main__":
    unittest.main()
