/* tracker: in progress */
