/* lms: in progress */
