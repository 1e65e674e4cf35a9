"""Builds every themes benchmark set into /work/evaldata/themes/ (banking77 test is in shared/)."""
import build_airline
import build_clinc150
import build_hwu64
import build_rtexttools

for m in (build_hwu64, build_clinc150, build_rtexttools, build_airline):
    m.main()
