"""Builds every screening evaluation set into /work/evaldata/screen/."""
import build_airline
import build_app_reviews
import build_course_feedback
import build_cssrs
import build_dreaddit
import build_learned_hands_dv
import build_safecity

for m in (build_cssrs, build_dreaddit, build_learned_hands_dv, build_safecity,
          build_airline, build_app_reviews, build_course_feedback):
    m.main()
