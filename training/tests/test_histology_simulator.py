"""Checks of the H&E tile simulator (training/segmentation): the label means what the card says.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import unittest

import numpy as np
from scipy import ndimage

from training.segmentation import simulate_tile
from training.segmentation.stains import StainStyle, hematoxylin_od, render

TUMOUR_SEEDS = range(500, 508)


def centres(tile, kinds) -> list[tuple[int, int]]:
    return [(int(n.y), int(n.x)) for n in tile.nuclei if n.kind in kinds]


class HistologySimulatorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tumour = [simulate_tile(s, scene="tumour") for s in TUMOUR_SEEDS]
        cls.normal = [simulate_tile(s, scene="normal") for s in range(600, 604)]
        cls.lymphoid = [simulate_tile(s, scene="lymphoid") for s in range(700, 704)]

    def test_same_seed_gives_the_same_tile_and_another_seed_differs(self):
        a, b, c = simulate_tile(42), simulate_tile(42), simulate_tile(43)
        np.testing.assert_array_equal(a.rgb, b.rgb)
        np.testing.assert_array_equal(a.mask, b.mask)
        self.assertEqual(a.rgb.shape, (256, 256, 3))
        self.assertEqual(a.rgb.dtype, np.uint8)
        self.assertGreater(np.abs(a.rgb.astype(int) - c.rgb.astype(int)).mean(), 5)

    def test_unknown_scene_is_refused(self):
        with self.assertRaises(ValueError):
            simulate_tile(1, scene="carcinoma")

    def test_only_tumour_scenes_carry_a_mask(self):
        for t in self.normal + self.lymphoid + [simulate_tile(s, scene=c) for s, c in ((1, "stroma"), (2, "squamous"))]:
            self.assertEqual(int(t.mask.sum()), 0, t.scene)
        covered = [t.mask.mean() for t in self.tumour]
        self.assertTrue(all(c > 0.05 for c in covered), covered)

    def test_mask_matches_the_drawn_tumour_cells(self):
        for t in self.tumour:
            inside = [t.mask[y, x] for y, x in centres(t, {"tumour"})]
            self.assertGreater(len(inside), 20)
            self.assertTrue(all(inside), f"seed {t.seed}: a tumour nucleus was drawn outside the mask")
            others = [t.mask[y, x] for y, x in centres(t, {"epithelial", "fibroblast", "lymphocyte", "squamous", "basal"})]
            self.assertFalse(any(others), f"seed {t.seed}: a benign nucleus lies inside the mask")
            self.assertFalse((t.mask.astype(bool) & ~t.tissue).any(), "the mask covers glass or lumen")
            # The mask is filled with tumour cells, not a loose outline around a few.
            seeds = np.ones(t.mask.shape, bool)
            for y, x in centres(t, {"tumour"}):
                seeds[y, x] = False
            near = ndimage.distance_transform_edt(seeds) <= 15  # the widest cell spacing
            self.assertGreater(near[t.mask.astype(bool)].mean(), 0.95, f"seed {t.seed}")

    def test_tumour_regions_are_more_crowded_and_darker_than_normal_tissue(self):
        for t in self.tumour:
            tumour_area = t.mask.astype(bool)
            normal_area = t.tissue & ~tumour_area & ~t.lymphoid & ~t.squamous
            if normal_area.sum() < 2000:
                continue  # tile entirely tumour
            n_in = sum(1 for y, x in centres(t, {"tumour", "epithelial", "fibroblast"}) if tumour_area[y, x])
            n_out = sum(1 for y, x in centres(t, {"epithelial", "fibroblast"}) if normal_area[y, x])
            self.assertGreater(n_in / tumour_area.sum(), 2.0 * n_out / normal_area.sum(), f"seed {t.seed}")
            h = hematoxylin_od(t.rgb)  # measured on the rendered RGB, as an image analyst would
            self.assertGreater(h[tumour_area].mean(), h[normal_area].mean() + 0.1, f"seed {t.seed}")

    def test_tumour_nuclei_are_enlarged_pleomorphic_and_hyperchromatic(self):
        def stats(tiles, kind):
            ns = [n for t in tiles for n in t.nuclei if n.kind == kind]
            area = np.array([n.area for n in ns])
            return area.mean(), area.std() / area.mean(), np.mean([n.hematoxylin for n in ns])

        t_area, t_cv, t_h = stats(self.tumour, "tumour")
        e_area, e_cv, e_h = stats(self.normal, "epithelial")
        l_area, l_cv, l_h = stats(self.lymphoid, "lymphocyte")
        self.assertGreater(t_area, 2.0 * e_area)
        self.assertGreater(t_cv, 2.0 * e_cv)
        self.assertGreater(t_h, e_h + 0.2)
        # The hard negative: lymphocytes are as dark as tumour nuclei but small and uniform.
        self.assertGreater(l_h, e_h + 0.2)
        self.assertLess(l_area, 0.5 * t_area)
        self.assertLess(l_cv, 0.5 * t_cv)

    def test_benign_solid_epithelium_is_a_sheet_of_regular_cells_with_a_dark_basal_rim(self):
        tiles = [simulate_tile(s, scene="squamous") for s in range(800, 803)]
        tumour = [n for t in self.tumour for n in t.nuclei if n.kind == "tumour"]
        for kind in ("squamous", "basal"):
            ns = [n for t in tiles for n in t.nuclei if n.kind == kind]
            self.assertGreater(len(ns), 30, kind)
            self.assertLess(np.mean([n.area for n in ns]), 0.5 * np.mean([n.area for n in tumour]), kind)
            self.assertLess(max(n.irregularity for n in ns), min(n.irregularity for n in tumour), kind)
            for t in tiles:
                self.assertFalse(any(t.squamous[int(n.y), int(n.x)] == 0 for n in t.nuclei if n.kind == kind))
        self.assertGreater(np.mean([n.hematoxylin for t in tiles for n in t.nuclei if n.kind == "basal"]),
                           np.mean([n.hematoxylin for t in tiles for n in t.nuclei if n.kind == "squamous"]) + 0.15)

    def test_colours_follow_the_stains(self):
        t = self.tumour[0]
        nuclear = t.nuclear > 0.9
        stroma = t.tissue & ~ndimage.binary_dilation(t.nuclear > 0.05, iterations=3) & ~t.mask.astype(bool)
        rgb = t.rgb.astype(float)
        self.assertLess(rgb[nuclear].sum(axis=1).mean(), rgb[stroma].sum(axis=1).mean() - 150)  # nuclei are dark
        self.assertGreater(rgb[stroma][:, 0].mean(), rgb[stroma][:, 1].mean() + 40)  # eosin: red over green (pink)
        edge = simulate_tile(3, scene="edge")
        glass = ndimage.binary_erosion(~edge.tissue, iterations=3)
        self.assertGreater(glass.mean(), 0.1)
        self.assertGreater(edge.rgb[glass].min(axis=1).mean(), 200)  # glass is near white

    def test_render_follows_beer_lambert(self):
        style = StainStyle.reference()
        rng = np.random.default_rng(0)
        zero = render(np.zeros((4, 4)), np.zeros((4, 4)), style, rng)
        self.assertTrue((zero == 245).all())
        h = np.full((4, 4), 0.5)
        rgb = render(h, np.zeros((4, 4)), style, rng)
        np.testing.assert_allclose(hematoxylin_od(rgb), 0.5, atol=0.01)

    def test_stain_and_scanner_vary_between_tiles(self):
        styles = [simulate_tile(s, scene="stroma").style for s in range(10, 16)]
        self.assertGreater(np.std([s.e_strength for s in styles]), 0.05)
        self.assertGreater(len({round(float(s.eosin[2]), 3) for s in styles}), 3)
        self.assertTrue(any(s.jpeg_quality is not None for s in styles))


if __name__ == "__main__":
    unittest.main()
