"""Synthetic demo data for Lào Cai province: `haven demo` (see docs/demo.md). No real person, ever."""
